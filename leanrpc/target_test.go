package leanrpc_test

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/leanprove/leanprove/leanrpc"
	"github.com/leanprove/leanprove/leanrpc/leanrpctest"
)

func TestTheoremFromTarget(t *testing.T) {
	ctx := context.Background()
	proj := filepath.Join("testdata", "proj")
	tg, err := leanrpc.FindTheorem(ctx, proj, "Proj.multi")
	if err != nil {
		t.Fatal(err)
	}
	th := leanrpc.TheoremFromTarget(tg)
	if th.Name != "multi" || !strings.HasSuffix(th.Signature, "theorem multi (p q : Prop) (hp : p) (hq : q) : p ∧ q") {
		t.Errorf("theorem = %q / %q", th.Name, th.Signature)
	}
	if !reflect.DeepEqual(th.SorryDeps, []string{"Proj.pending"}) {
		t.Errorf("sorry deps = %q, want the earlier sorry'd lemma", th.SorryDeps)
	}
	if !strings.HasPrefix(th.Context, "/-! A fixture") || !strings.HasSuffix(th.Context, "\n") {
		t.Errorf("context = %q", th.Context)
	}
	// An example gets a name so its axioms can be printed.
	src, err := leanrpc.ParseFile(filepath.Join(proj, "Proj", "Basic.lean"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range src.Decls {
		if src.Decls[i].Kind == "example" {
			ex := leanrpc.TheoremFromTarget(&leanrpc.Target{Source: src, Decl: &src.Decls[i]})
			if ex.Name != "leanprove_example" || ex.Signature != "theorem leanprove_example : 2 = 2" {
				t.Errorf("example = %q / %q", ex.Name, ex.Signature)
			}
		}
	}
}

// TestFindApplyVerifyFromSource goes from a name in a Lake project to a
// verified proof, through the fake server: the path prove --theorem takes.
func TestFindApplyVerifyFromSource(t *testing.T) {
	ctx := context.Background()
	tg, err := leanrpc.FindTheorem(ctx, filepath.Join("testdata", "proj"), "multi")
	if err != nil {
		t.Fatal(err)
	}
	const start = "p q : Prop\nhp : p\nhq : q\n⊢ p ∧ q"
	sem := &leanrpctest.Script{
		Theorems: map[string]string{"Proj.multi": start},
		Steps: []leanrpctest.ScriptStep{
			{State: start, Tactic: "constructor", NewState: "case left\np q : Prop\nhp : p\nhq : q\n⊢ p\n\ncase right\np q : Prop\nhp : p\nhq : q\n⊢ q"},
			{Tactic: "exact ⟨hp, hq⟩", NewState: "no goals"},
			{Tactic: "exact ⟨hp, (pending 1).symm ▸ hq⟩", NewState: "no goals"},
		},
	}
	conn, _ := leanrpctest.NewPipe(t, leanrpctest.PipeOptions{Options: leanrpctest.Options{Semantics: sem}})
	s := leanrpc.NewSession(conn, leanrpc.SessionConfig{Theorem: leanrpc.TheoremFromTarget(tg)})
	if err := s.Open(ctx); err != nil {
		t.Fatalf("open (the context's sorry warnings must not count as header errors): %v", err)
	}
	out, err := s.Apply(ctx, nil, "constructor")
	if err != nil || out.Kind != leanrpc.Goals || len(out.Goals) != 2 {
		t.Fatalf("constructor = %+v, %v", out, err)
	}
	v, err := s.Verify(ctx, []string{"exact ⟨hp, hq⟩"})
	if err != nil || v.Status != leanrpc.Verified {
		t.Errorf("Verify = %+v, %v", v, err)
	}
	v, err = s.Verify(ctx, []string{"exact ⟨hp, (pending 1).symm ▸ hq⟩"})
	if err != nil || v.Status != leanrpc.VerifiedAssuming || !reflect.DeepEqual(v.Assumes, []string{"Proj.pending"}) {
		t.Errorf("Verify through a sorry'd lemma = %+v, %v; want proved, assuming Proj.pending", v, err)
	}
}

func TestErrorInTheContextStopsOnlyVerify(t *testing.T) {
	ctx := context.Background()
	tg, err := leanrpc.FindTheorem(ctx, filepath.Join("testdata", "proj"), "Proj.two_steps")
	if err != nil {
		t.Fatal(err)
	}
	th := leanrpc.TheoremFromTarget(tg)
	if th.HeaderLines != 4 {
		t.Errorf("header lines = %d, want 4 (comment and two imports)", th.HeaderLines)
	}
	sem := &leanrpctest.Script{
		Theorems: map[string]string{"Proj.two_steps": "a b : Nat\nh : a = b\n⊢ b = a"},
		Steps:    []leanrpctest.ScriptStep{{Tactic: "omega", NewState: "no goals"}},
	}
	conn, _ := leanrpctest.NewPipe(t, leanrpctest.PipeOptions{Options: leanrpctest.Options{
		Semantics: sem, ContextError: "type mismatch"}})
	s := leanrpc.NewSession(conn, leanrpc.SessionConfig{Theorem: th})
	if out, err := s.Apply(ctx, nil, "omega"); err != nil || out.Kind != leanrpc.Proved {
		t.Fatalf("Apply with a broken earlier lemma = %+v, %v; want the search to go on", out, err)
	}
	v, err := s.Verify(ctx, []string{"omega"})
	if err != nil || v.Status != leanrpc.Rejected || !strings.Contains(v.Reason, "error before the theorem") {
		t.Errorf("Verify = %+v, %v; want rejected, naming the earlier error", v, err)
	}
	// Without header information every context error is a header error.
	th.HeaderLines = 0
	s2 := leanrpc.NewSession(conn, leanrpc.SessionConfig{Theorem: th})
	if _, err := s2.Apply(ctx, nil, "omega"); !errors.Is(err, leanrpc.ErrHeader) {
		t.Errorf("Apply = %v, want ErrHeader", err)
	}
}
