package leanrpc

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
)

// VerdictStatus is the result of Verify.
type VerdictStatus uint8

const (
	// Rejected: the proof fails, uses sorry, or an axiom outside the
	// allowed set.
	Rejected VerdictStatus = iota
	// Verified: no error, no sorry, axioms within propext,
	// Classical.choice, Quot.sound.
	Verified
	// VerifiedAssuming: the proof itself is complete, but it depends on
	// declarations that still use sorry (Verdict.Assumes).
	VerifiedAssuming
)

func (v VerdictStatus) String() string {
	return [...]string{"rejected", "proved", "proved, assuming"}[v]
}

// AllowedAxioms are the axioms a verified proof may depend on.
var AllowedAxioms = []string{"propext", "Classical.choice", "Quot.sound"}

// A Verdict is what Verify concluded.
type Verdict struct {
	Status VerdictStatus
	// Axioms lists what #print axioms reported.
	Axioms []string
	// Assumes names the still-sorry'd declarations the proof depends on
	// (VerifiedAssuming); empty when they are outside the file.
	Assumes []string
	// Reason says why a proof was rejected.
	Reason string
}

// Verify re-elaborates the whole proof in a fresh document and audits its
// axioms (DESIGN §5).
func (s *Session) Verify(ctx context.Context, proof []string) (Verdict, error) {
	th := s.cfg.Theorem
	text, lay := th.render(proof, true)
	if len(proof) == 0 {
		return Verdict{Status: Rejected, Reason: "empty proof"}, nil
	}
	uri := s.uri(fmt.Sprintf("V%d_%d", s.seq, verifySeq.Add(1)))
	vctx, cancel := context.WithTimeout(ctx, s.cfg.OpenTimeout+s.cfg.ApplyTimeout)
	defer cancel()
	v, err := s.conn.DidOpen(vctx, uri, text)
	if err != nil {
		return Verdict{}, err
	}
	defer func() { _ = s.conn.DidClose(context.WithoutCancel(ctx), uri) }()
	if err := s.conn.WaitForDiagnostics(vctx, uri, v); err != nil {
		var re *RequestError
		if errors.As(err, &re) && re.IsCrash() {
			return Verdict{Status: Rejected, Reason: "Lean's worker crashed: " + re.Message}, nil
		}
		if ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
			return Verdict{Status: Rejected, Reason: "verification timed out"}, nil
		}
		return Verdict{}, fmt.Errorf("verify %s: %w", th.Name, err)
	}
	if s.conn.Fatal(uri, v) {
		return Verdict{Status: Rejected, Reason: "Lean reported a fatal error"}, nil
	}
	diags, _ := s.conn.Diagnostics(uri, v)
	return judge(diags, lay, th, proof), nil
}

var verifySeq atomic.Int64

// judge decides a Verdict from the diagnostics of the verification
// document.
func judge(diags []Diagnostic, lay layout, th Theorem, proof []string) Verdict {
	var axioms []string
	printed := false
	for i := range diags {
		d := &diags[i]
		sp := d.Span()
		switch {
		case d.Severity == SeverityError && sp.End.Line < lay.declLine:
			return Verdict{Status: Rejected, Reason: "the file has an error before the theorem, fix it first: line " +
				strconv.Itoa(d.Range.Start.Line+1) + ": " + d.Message}
		case d.Severity == SeverityError:
			where := "line " + strconv.Itoa(d.Range.Start.Line+1)
			return Verdict{Status: Rejected, Reason: where + ": " + d.Message}
		case d.IsSorryWarning() && sp.Start.Line >= lay.declLine && sp.Start.Line < lay.printLine:
			return Verdict{Status: Rejected, Reason: "the proof uses sorry"}
		case d.Severity == SeverityInformation && sp.Start.Line == lay.printLine:
			if ax, ok := parseAxioms(d.Message); ok {
				axioms, printed = ax, true
			}
		}
	}
	if !printed {
		return Verdict{Status: Rejected, Reason: "no #print axioms output from Lean"}
	}
	usesSorry := false
	for _, a := range axioms {
		switch {
		case a == "sorryAx":
			usesSorry = true
		case !contains(AllowedAxioms, a):
			return Verdict{Status: Rejected, Axioms: axioms, Reason: "depends on axiom " + a}
		}
	}
	if !usesSorry {
		return Verdict{Status: Verified, Axioms: axioms}
	}
	return Verdict{Status: VerifiedAssuming, Axioms: axioms, Assumes: sorryDepsUsed(th.SorryDeps, proof),
		Reason: "depends on sorryAx through declarations that are not proved yet"}
}

// parseAxioms reads "'foo' depends on axioms: [propext, sorryAx]" and
// "'foo' does not depend on any axioms".
func parseAxioms(msg string) ([]string, bool) {
	if strings.Contains(msg, "does not depend on any axioms") {
		return []string{}, true
	}
	i := strings.Index(msg, "depends on axioms:")
	if i < 0 {
		return nil, false
	}
	rest := msg[i+len("depends on axioms:"):]
	open, end := strings.IndexByte(rest, '['), strings.LastIndexByte(rest, ']')
	if open < 0 || end < open {
		return nil, false
	}
	var out []string
	for _, a := range strings.Split(rest[open+1:end], ",") {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	return out, true
}

// sorryDepsUsed returns the sorry'd declarations whose name (or last
// component) appears in the proof; all of them when none does (the use may
// be indirect, through simp sets).
func sorryDepsUsed(deps []string, proof []string) []string {
	text := strings.Join(proof, "\n")
	toks, _ := lex(text)
	used := map[string]bool{}
	for _, t := range toks {
		if t.kind == tokIdent {
			used[t.text] = true
		}
	}
	var out []string
	for _, d := range deps {
		short := d[strings.LastIndexByte(d, '.')+1:]
		if used[d] || used[short] {
			out = append(out, d)
			continue
		}
		for u := range used {
			if strings.HasSuffix(d, "."+u) {
				out = append(out, d)
				break
			}
		}
	}
	if len(out) == 0 {
		return append([]string(nil), deps...)
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
