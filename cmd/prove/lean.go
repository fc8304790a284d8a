package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/leanprove/leanprove/corpus"
	"github.com/leanprove/leanprove/leanrpc"
	"github.com/leanprove/leanprove/policy"
	"github.com/leanprove/leanprove/search"
)

// leanBackend proves theorems with Lean: one language server per Lake
// project, started on first use and shared by every theorem of a batch or a
// service, and one policy per spec, loaded once.
type leanBackend struct {
	flags *proveFlags
	log   zerolog.Logger

	files *fileTracker // for --write

	mu       sync.Mutex
	servers  map[string]*leanrpc.Server // by absolute project root
	policies map[string]search.Policy
}

func newLeanBackend(flags *proveFlags, log zerolog.Logger) *leanBackend {
	return &leanBackend{flags: flags, log: log, files: newFileTracker(), servers: map[string]*leanrpc.Server{}, policies: map[string]search.Policy{}}
}

// Close ends every Lean server (and its worker processes).
func (b *leanBackend) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	var errs []error
	for root, srv := range b.servers {
		if err := srv.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close Lean server of %s: %w", root, err))
		}
		delete(b.servers, root)
	}
	return errors.Join(errs...)
}

func (b *leanBackend) server(ctx context.Context, root string) (*leanrpc.Server, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if srv := b.servers[root]; srv != nil {
		select {
		case <-srv.Exited():
			b.log.Warn().Str("project", root).Str("stderr", srv.Stderr()).Msg("Lean server exited; starting a new one")
			delete(b.servers, root)
		default:
			return srv, nil
		}
	}
	cfg := b.serverConfig(root)
	b.log.Info().Str("project", root).Msg("starting Lean server")
	srv, err := leanrpc.Start(ctx, cfg)
	if err != nil {
		return nil, err
	}
	b.servers[root] = srv
	return srv, nil
}

// serverConfig is how the Lean server of the project at root runs.
func (b *leanBackend) serverConfig(root string) leanrpc.ServerConfig {
	cfg := leanrpc.ServerConfig{ProjectDir: root, MaxHeartbeats: b.flags.maxHeartbeats}
	if b.flags.leanCommand != "" {
		cfg.Command = strings.Fields(b.flags.leanCommand)
	}
	return cfg
}

// defaultModel is where a project keeps its trained policy; the auto
// policy mixes it in when it exists.
const defaultModel = ".leanprove/policy.model"

// resolvePolicy turns "auto" into what it means for the project at root:
// the portfolio (with Mathlib's finishers when the project requires
// Mathlib), mixed with the project's trained model when it has one. Other
// specs are returned as they are.
func resolvePolicy(spec, root string) string {
	if spec != "auto" {
		return spec
	}
	portfolio := "portfolio"
	if leanrpc.DependsOnMathlib(root) {
		portfolio = "portfolio:mathlib"
	}
	model := filepath.Join(root, defaultModel)
	if _, err := os.Stat(model); err == nil {
		return portfolio + "+learned:" + model
	}
	return portfolio
}

// rolloutSetting describes the closing rollout for a run's manifest: off,
// or the tactics it tries in the project at root.
func rolloutSetting(on bool, root string) string {
	if !on {
		return "off"
	}
	return strings.Join(closingTactics(leanrpc.DependsOnMathlib(root)), " ")
}

// closingTactics is the closing rollout's portfolio: core Lean's
// finishers, then, with Mathlib, the three that settle most routine numeric
// and order goals there.
func closingTactics(mathlib bool) []string {
	tactics := slices.Clone(search.DefaultClosingTactics)
	if mathlib {
		tactics = append(tactics, "norm_num", "linarith", "positivity")
	}
	return tactics
}

// policy returns the policy for spec in the project at root, built once.
func (b *leanBackend) policy(spec, root string) (search.Policy, error) {
	spec = resolvePolicy(spec, root)
	b.mu.Lock()
	defer b.mu.Unlock()
	if p := b.policies[spec]; p != nil {
		return p, nil
	}
	b.log.Info().Str("policy", spec).Msg("loading policy")
	p, err := buildPolicy(spec, b.flags.llm, leanrpc.SanitizeOptions{AllowNativeDecide: b.flags.allowNativeDecide})
	if err != nil {
		return nil, err
	}
	b.policies[spec] = p
	return p, nil
}

// buildPolicy reads a policy spec (policy.FromSpec: portfolio, learned,
// llm and their mixtures). Every tactic is sanitized with san, the options
// the Lean session applies too (a stricter sanitizer here would silently
// undo --allow-native-decide).
func buildPolicy(spec string, llm llmFlags, san leanrpc.SanitizeOptions) (search.Policy, error) {
	env := llm.specEnv(nil)
	env.Sanitize = san
	p, err := policy.FromSpec(spec, env)
	if err != nil {
		return nil, usagef("--policy %q: %v", spec, err)
	}
	return p, nil
}

// withPremises mixes the policy.Premises of the target's context (the
// lemmas before it in its file and in the project files it imports) into
// base, whatever the spec: no spec's policy can cite a project's own lemmas,
// and when none matches the goal their priors stay below the base's own
// finishers. Built per theorem, since each sees different lemmas; base
// stays cached. An imported file that does not parse costs its lemmas, not
// the proof attempt.
func (b *leanBackend) withPremises(ctx context.Context, base search.Policy, target *leanrpc.Target) search.Policy {
	prem, err := policy.PremisesFor(ctx, target)
	if err != nil {
		b.log.Warn().Err(err).Str("theorem", target.Decl.FullName).Msg("some imported lemmas are not offered to the search")
	}
	if prem == nil || prem.Len() == 0 {
		return base
	}
	return &policy.Mixture{
		Policies: []search.Policy{base, prem},
		Sanitize: leanrpc.SanitizeOptions{AllowNativeDecide: b.flags.allowNativeDecide},
	}
}

// locate finds the theorem a request names.
func locate(ctx context.Context, req proveRequest) (*leanrpc.Target, error) {
	if req.File != "" {
		return leanrpc.FindTheoremInFile(ctx, req.Project, req.File, req.Theorem)
	}
	return leanrpc.FindTheorem(ctx, req.Project, req.Theorem)
}

// prove runs one request end to end: find the theorem, open its Lean
// documents, search, verify the proof from scratch, and write it back when
// asked. Not finding a proof is a result, not an error.
func (b *leanBackend) prove(ctx context.Context, req proveRequest) (*proveResult, error) {
	start := time.Now()
	target, err := locate(ctx, req)
	if err != nil {
		return nil, err
	}
	release, err := b.files.track(target.File)
	if err != nil {
		return nil, err
	}
	defer release()
	pol, err := b.policy(req.Policy, target.ProjectDir)
	if err != nil {
		return nil, err
	}
	pol = b.withPremises(ctx, pol, target)
	params, err := b.searchParams(req)
	if err != nil {
		return nil, err
	}
	if params.ClosingRollout {
		params.ClosingTactics = closingTactics(leanrpc.DependsOnMathlib(target.ProjectDir))
	}
	srv, err := b.server(ctx, target.ProjectDir)
	if err != nil {
		return nil, err
	}
	th := leanrpc.TheoremFromTarget(target)
	sess := srv.NewSession(leanrpc.SessionConfig{
		Theorem: th, Workers: params.Workers, ApplyTimeout: b.flags.budget.perTactic,
		Sanitize: leanrpc.SanitizeOptions{AllowNativeDecide: b.flags.allowNativeDecide},
	})
	defer sess.Close(context.WithoutCancel(ctx))
	if err := sess.Open(ctx); err != nil {
		return nil, fmt.Errorf("%s:%d: %w", target.File, target.Line(), err)
	}
	root, err := rootState(ctx, sess)
	if err != nil {
		return nil, fmt.Errorf("%s:%d: %s: %w", target.File, target.Line(), req.Theorem, err)
	}
	log := b.log.With().Str("theorem", req.Theorem).Logger()
	log.Info().Int("goals", len(root.Goals)).Str("mode", params.Mode.String()).Msg("searching")
	var prover search.Prover = leanProver{sess}
	if req.Cache != nil {
		prover = b.cachedProver(ctx, req.Cache, target, th, prover)
	}
	res, err := search.Run(ctx, root, prover, pol, params)
	if err != nil {
		return nil, fmt.Errorf("search %s: %w", req.Theorem, err)
	}
	out := &proveResult{
		Theorem: req.Theorem, File: target.File, Line: target.Line(), Stop: res.Stop.String(),
		Expansions: res.Stats.Expansions, ProverCalls: res.Stats.ProverCalls, Nodes: res.Stats.Nodes,
		MaxDepth: res.Stats.MaxDepth,
	}
	if req.TreeFile != "" {
		if err := writeTree(req.TreeFile, res); err != nil {
			return nil, err
		}
	}
	if res.Proved {
		// The search saw each step in isolation; only a fresh elaboration
		// of the whole proof, with its axioms audited, counts.
		v, err := sess.Verify(ctx, res.Proof)
		if err != nil {
			return nil, fmt.Errorf("verify proof of %s: %w", req.Theorem, err)
		}
		applyVerdict(out, v, res.Proof)
		if out.Proved {
			out.Steps = proofSteps(res.Tree(), res.Proof)
		} else {
			log.Warn().Strs("proof", res.Proof).Str("reason", v.Reason).Msg("search found a proof that did not verify")
		}
	}
	if out.Proved && req.Write {
		if err := b.files.writeProof(target.File, target.Decl.FullName, out.Proof); err != nil {
			return nil, err
		}
		out.Written = true
	}
	out.Elapsed = time.Since(start)
	return out, nil
}

// cachedProver puts the store's (state, tactic) cache in front of the
// theorem's Lean session, under the key of the environment the outcomes
// hold in: the project's toolchain, manifest, lakefile and imported files,
// the theorem's context and statement, and the settings below that change
// Lean's answers. The tactic timeout is not among them: timeouts are never
// cached, and any other answer does not depend on it. Without a key (an
// imported file that cannot be read) the search asks Lean every time.
//
// A stale or wrong entry cannot produce a false "proved": prove verifies
// every proof the search finds on Lean, from scratch.
func (b *leanBackend) cachedProver(ctx context.Context, st *corpus.Store, target *leanrpc.Target, th leanrpc.Theorem, lean search.Prover) search.Prover {
	cfg := b.serverConfig(target.ProjectDir)
	key, err := leanrpc.EnvironmentKey(ctx, target, th,
		"command="+strings.Join(cfg.Command, " "),
		"server-args="+strings.Join(cfg.ServerArgs(), " "),
		fmt.Sprintf("maxHeartbeats=%d", b.flags.maxHeartbeats),
		fmt.Sprintf("allowNativeDecide=%t", b.flags.allowNativeDecide))
	if err != nil {
		b.log.Warn().Err(err).Str("theorem", target.Decl.FullName).Msg("searching without the proof cache")
		return lean
	}
	return &corpus.CachedProver{Prover: lean, Store: st, Env: key}
}

// unprovenImport stands for the declaration a proof assumes when Lean's
// axiom audit shows sorryAx but no declaration of the file before the
// theorem uses sorry: the sorry is in an imported module.
const unprovenImport = "declarations of imported modules"

// applyVerdict records what verification concluded about proof. A proof
// that depends on sorryAx is proved assuming something, always named: an
// empty Assuming would count it as plainly proved.
func applyVerdict(out *proveResult, v leanrpc.Verdict, proof []string) {
	out.Proof = proof
	switch v.Status {
	case leanrpc.Verified, leanrpc.VerifiedAssuming:
		out.Proved, out.Assuming, out.Stop = true, v.Assumes, v.Status.String()
		if v.Status == leanrpc.VerifiedAssuming && len(out.Assuming) == 0 {
			out.Assuming = []string{unprovenImport}
		}
	default:
		out.Stop = "proof rejected on verification: " + v.Reason
	}
}

// searchParams turns a request's budget into search parameters.
func (b *leanBackend) searchParams(req proveRequest) (search.Params, error) {
	mode, err := search.ParseMode(req.Mode)
	if err != nil {
		return search.Params{}, usagef("%v", err)
	}
	p := search.Params{
		Mode: mode, MaxExpansions: req.Expansions, MaxProverCalls: req.Calls,
		WallTime:      time.Duration(req.WallSeconds * float64(time.Second)),
		TacticTimeout: b.flags.budget.perTactic, Workers: cmp.Or(req.Workers, b.flags.budget.workers),
		CandidatesPerNode: b.flags.candidates, Widenings: searchWidenings(b.flags.widenings),
		Seed: req.Seed, ClosingRollout: b.flags.rollout,
		InOrder: b.flags.inOrder, CPuct: b.flags.cpuct, FPUReduction: b.flags.fpu,
	}
	if p.Selection, err = search.ParseSelection(b.flags.selection); err != nil {
		return search.Params{}, usagef("%v", err)
	}
	p.EnsureDefaults()
	if err := p.Validate(); err != nil {
		return search.Params{}, usagef("%v", err)
	}
	return p, nil
}

// rootState reads the theorem's goals: the state after `skip`, which
// changes nothing, is the statement's own.
func rootState(ctx context.Context, sess *leanrpc.Session) (search.State, error) {
	out, err := sess.Apply(ctx, nil, "skip")
	if err != nil {
		return search.State{}, err
	}
	switch out.Kind {
	case leanrpc.Goals:
		return search.State{Goals: out.Goals}, nil
	case leanrpc.Proved:
		return search.State{}, errors.New("the statement has no goals to prove")
	default:
		return search.State{}, fmt.Errorf("the statement does not elaborate (%s): %s", out.Kind, out.Message)
	}
}

// leanProver adapts a Lean session to the search's Prover: the search's
// State.Trace is the tactic path the session replays in its document.
type leanProver struct{ sess *leanrpc.Session }

func (p leanProver) Apply(ctx context.Context, s search.State, tactic string) (search.Step, error) {
	start := time.Now()
	out, err := p.sess.Apply(ctx, s.Trace, tactic)
	if err != nil {
		return search.Step{}, err
	}
	step := search.Step{Message: out.Message, Elapsed: time.Since(start)}
	switch out.Kind {
	case leanrpc.Goals:
		step.Outcome, step.State = search.OutcomeGoals, search.State{Goals: out.Goals}
	case leanrpc.Proved:
		step.Outcome = search.OutcomeProved
	case leanrpc.Error:
		step.Outcome = search.OutcomeError
	case leanrpc.Timeout:
		step.Outcome = search.OutcomeTimeout
	default:
		step.Outcome = search.OutcomeInvalid
	}
	return step, nil
}

var _ search.Prover = leanProver{}

// writeTree exports the search graph as DOT when the file ends in .dot or
// .gv, and as JSON otherwise.
func writeTree(path string, res *search.Result) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("--tree: %w", err)
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("--tree: %w", cerr)
		}
	}()
	var w io.Writer = f
	switch strings.ToLower(filepath.Ext(path)) {
	case ".dot", ".gv":
		return res.Tree().WriteDOT(w)
	default:
		return res.Tree().WriteJSON(w)
	}
}
