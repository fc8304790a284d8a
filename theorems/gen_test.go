package theorems

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/leanprove/leanprove/quantcore"
)

// withoutProofs replaces the body of every theorem that has one by
// `by sorry`, so a file whose targets the prover has filled in (prove
// --write) still compares equal to the generated one.
func withoutProofs(t *testing.T, file, src string) string {
	t.Helper()
	code, err := masked(src)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	lines := strings.SplitAfter(src, "\n")
	codeLines := strings.SplitAfter(code, "\n")
	var out strings.Builder
	skipping := false
	for i, l := range lines {
		cl := codeLines[i]
		if skipping {
			if len(cl) > 0 && cl[0] != ' ' || strings.TrimSpace(cl) == "" {
				skipping = false // the next command, or a blank or comment line between commands
			} else {
				continue
			}
		}
		if a := strings.Index(cl, ":= by"); a >= 0 && strings.TrimSpace(cl[a+len(":= by"):]) != "sorry" {
			out.WriteString(l[:a] + ":= by sorry\n")
			skipping = true
			continue
		}
		out.WriteString(l)
	}
	return out.String()
}

// TestCommittedFilesUpToDate fails when the committed per-layer files differ
// from what the generator writes now (proof bodies aside): run
// `go generate ./theorems` and commit the result.
func TestCommittedFilesUpToDate(t *testing.T) {
	files, err := Generate(context.Background(), DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		disk, err := os.ReadFile(filepath.FromSlash(f.Path))
		if err != nil {
			t.Errorf("%s: %v (run go generate ./theorems)", f.Path, err)
			continue
		}
		if bytes.Equal(disk, f.Content) {
			continue
		}
		if withoutProofs(t, f.Path, string(disk)) != string(f.Content) {
			t.Errorf("%s is out of date: run `go generate ./theorems` (or prove theorems gen) and commit it", f.Path)
		}
	}
	// No stale generated file may linger next to the fresh ones.
	entries, err := os.ReadDir(filepath.FromSlash(layersDir))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		path := layersDir + "/" + e.Name()
		found := false
		for _, f := range files {
			found = found || f.Path == path
		}
		if !found {
			t.Errorf("%s is not produced by the generator: remove it", path)
		}
	}
}

func TestWithoutProofsRestoresTargets(t *testing.T) {
	gen := "theorem a (n : Nat) :\n    n = n := by sorry\n\n/-- b -/\ntheorem b : True := by sorry\n"
	proved := "theorem a (n : Nat) :\n    n = n := by\n  rfl\n\n/-- b -/\ntheorem b : True := by trivial\n"
	if got := withoutProofs(t, "x.lean", proved); got != gen {
		t.Errorf("withoutProofs:\n%s\nwant\n%s", got, gen)
	}
	changed := strings.Replace(proved, "n = n", "n = n + 0", 1)
	if withoutProofs(t, "x.lean", changed) == gen {
		t.Error("a changed statement compares equal")
	}
}

// TestLibraryCounts runs every static check on the committed library and
// counts its declarations: 8 quantization theorems, 320 per-layer theorems
// and llama_model_bounded are targets (`by sorry`), plus the three generic
// lemmas left as sorry; six generic lemmas carry proofs.
func TestLibraryCounts(t *testing.T) {
	rep, err := Check(".")
	if err != nil {
		t.Fatalf("static checks fail:\n%v", err)
	}
	theorems, targets, _ := rep.Count()
	if theorems != 338 || targets != 332 {
		t.Errorf("theorems = %d, targets = %d; want 338 and 332 (8 + 320 + 1 + 3 sorry'd lemmas, 6 proved lemmas)", theorems, targets)
	}
	byName := map[string]Decl{}
	for _, d := range rep.Decls {
		byName[d.Name] = d
	}
	var want []string
	for _, n := range []string{"pack_unpack_roundtrip", "code_in_range", "decode_encode", "dequant_error_bound",
		"acc_no_overflow", "bits_per_weight", "model_size_ratio", "llama70b_size", "llama_model_bounded",
		"rmsnorm_bound", "attn_block_bound", "ffn_block_bound"} {
		want = append(want, "LeanProve."+n)
	}
	for l := 0; l < 80; l++ {
		for _, fam := range []string{"rmsnorm", "attn", "ffn", "resid"} {
			want = append(want, fmt.Sprintf("LeanProve.layer%02d_%s_bound", l, fam))
		}
	}
	for _, n := range want {
		if d, ok := byName[n]; !ok || !d.IsTarget() {
			t.Errorf("%s: missing or not a `by sorry` target", n)
		}
	}
	for _, n := range []string{"mul_abs_le", "natCast_succ_mul", "dotN_bound", "convex_bound", "qrow_bound", "resid_bound"} {
		if d, ok := byName["LeanProve."+n]; !ok || d.IsTarget() || !d.IsTheorem() {
			t.Errorf("%s: missing or not proved", n)
		}
	}
}

func TestGenerateDeterministicAndConfigurable(t *testing.T) {
	ctx := context.Background()
	a, err := Generate(ctx, DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	b, _ := Generate(ctx, DefaultConfig())
	if len(a) != len(b) {
		t.Fatal("two runs differ in their files")
	}
	for i := range a {
		if a[i].Path != b[i].Path || !bytes.Equal(a[i].Content, b[i].Content) {
			t.Fatalf("%s differs between two runs", a[i].Path)
		}
	}
	cfg := DefaultConfig()
	cfg.LayersPerFile = 16
	c, err := Generate(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if len(c) != 2+5 {
		t.Errorf("16 layers a file: %d files, want index + table + 5", len(c))
	}
	for _, bad := range []Config{
		{Shape: quantcore.ModelShape{Layers: 32, DModel: 4096, Heads: 32, KVHeads: 8, FFN: 14336}, LayersPerFile: 10},
		{Shape: quantcore.Llama70BShape(), LayersPerFile: 0},
	} {
		if _, err := Generate(ctx, bad); !errors.Is(err, ErrConfig) {
			t.Errorf("config %+v: err = %v, want ErrConfig", bad, err)
		}
	}
}

func TestLoadConfig(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, json string
		ok         bool
	}{
		{"empty object keeps the defaults", `{}`, true},
		{"weights relative to the file", `{"weights": "w.safetensors", "layers_per_file": 20}`, true},
		{"unknown field", `{"layer": 80}`, false},
		{"other shape", `{"shape": {"layers": 2, "d_model": 64, "heads": 4, "kv_heads": 2, "ffn": 128}}`, false},
		{"not JSON", `layers = 80`, false},
	} {
		path := filepath.Join(dir, "c.json")
		if err := os.WriteFile(path, []byte(tc.json), 0o644); err != nil {
			t.Fatal(err)
		}
		cfg, err := LoadConfig(path)
		if tc.ok != (err == nil) {
			t.Errorf("%s: err = %v", tc.name, err)
			continue
		}
		if err != nil && !strings.Contains(err.Error(), path) {
			t.Errorf("%s: error %q does not name the file", tc.name, err)
		}
		if tc.ok && cfg.Weights != "" && cfg.Weights != filepath.Join(dir, "w.safetensors") {
			t.Errorf("%s: weights = %q", tc.name, cfg.Weights)
		}
	}
}

// TestGenerateFromWeights measures the constants from a weight file with the
// LLaMA-70B tensor names (tiny tensors: only their largest entries matter).
func TestGenerateFromWeights(t *testing.T) {
	var tensors []quantcore.Tensor
	tensors = append(tensors, quantcore.Tensor{Name: "model.embed_tokens.weight", Shape: []int{2, 2}, Data: []float32{0.5, 0, 0, -0.25}})
	names := []string{"input_layernorm", "post_attention_layernorm", "self_attn.v_proj", "self_attn.o_proj", "mlp.gate_proj", "mlp.up_proj", "mlp.down_proj"}
	for l := 0; l < 80; l++ {
		for i, n := range names {
			v := float32(i+1) / 64
			tensors = append(tensors, quantcore.Tensor{Name: fmt.Sprintf("model.layers.%d.%s.weight", l, n), Shape: []int{2}, Data: []float32{v, -v / 2}})
		}
	}
	var buf bytes.Buffer
	if err := quantcore.WriteSafetensors(&buf, tensors); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "m.safetensors"), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "c.json"), []byte(`{"weights": "m.safetensors"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(filepath.Join(dir, "c.json"))
	if err != nil {
		t.Fatal(err)
	}
	files, err := Generate(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	l00 := string(files[2].Content)
	// Attention-norm gains: max|γ| = 1/64 → ⌈256/64⌉ = 4, output bound 4·91 = 364; embedding 0.5 → 128.
	for _, want := range []string{"weights file m.safetensors", "(Bounded g 8192 4 → Bounded (rmsnorm g x r) 8192 364)", "(hh : Bounded h 8192 128)"} {
		if !strings.Contains(l00, want) {
			t.Errorf("L00.lean lacks %q", want)
		}
	}
	// A missing tensor is an error naming it.
	if err := quantcore.WriteSafetensors(&buf, tensors[:len(tensors)-1]); err != nil {
		t.Fatal(err)
	}
	buf.Reset()
	_ = quantcore.WriteSafetensors(&buf, tensors[:len(tensors)-1])
	_ = os.WriteFile(filepath.Join(dir, "m.safetensors"), buf.Bytes(), 0o644)
	if _, err := Generate(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "model.layers.79.mlp.down_proj.weight") {
		t.Errorf("missing tensor: err = %v", err)
	}
}

var (
	attnRE  = regexp.MustCompile(`theorem layer(\d\d)_attn_bound[^:]*?(?s:.*?)Bounded \(u t\) 8192 (\d+)\)(?s:.*?)Scales \(sv k\) 8192 (\d+)\)(?s:.*?)Scales \(so j\) 8192 (\d+)\) :\s*Bounded \(attnOut u qv sv p T qo so\) 8192 (\d+) :=`)
	ffnRE   = regexp.MustCompile(`theorem layer(\d\d)_ffn_bound(?s:.*?)hu : Bounded u 8192 (\d+)\)(?s:.*?)Scales \(sg k\) 8192 (\d+)\)(?s:.*?)Scales \(su k\) 8192 (\d+)\)(?s:.*?)Scales \(sd j\) 28672 (\d+)\) :\s*Bounded \(ffnOut u qg sg qu su act qd sd\) 8192 (\d+) :=`)
	normRE  = regexp.MustCompile(`\(Bounded g 8192 (\d+) → Bounded \(rmsnorm g x r\) 8192 (\d+)\)`)
	residRE = regexp.MustCompile(`\(hh : Bounded h 8192 (\d+)\) \(ha : Bounded a 8192 (\d+)\) \(hf : Bounded f 8192 (\d+)\) :\s*Bounded \(fun i => h i \+ a i \+ f i\) 8192 (\d+)`)
)

// TestLayerSideConditionsHold re-reads the numerals of every committed
// per-layer theorem and evaluates the arithmetic side goals of its intended
// proof exactly as LeanProve/Bounds.lean writes them (the goals `omega`
// must close). A false one would make the layer's theorem unprovable by
// that route.
func TestLayerSideConditionsHold(t *testing.T) {
	n := func(s string) *big.Int { v, _ := new(big.Int).SetString(s, 10); return v }
	mul := func(xs ...*big.Int) *big.Int {
		p := big.NewInt(1)
		for _, x := range xs {
			p = new(big.Int).Mul(p, x)
		}
		return p
	}
	ceil := func(a *big.Int, b int64) *big.Int {
		q := new(big.Int).Add(a, big.NewInt(b-1))
		return q.Div(q, big.NewInt(b)) // a ≥ 0 here, so Div is Lean's floor division
	}
	two24 := big.NewInt(1 << 24)
	five := big.NewInt(5)
	proj := func(len int64, s, b *big.Int) *big.Int { return ceil(mul(big.NewInt(len), five, s, b), 1<<24) }
	counts := map[string]int{}
	prevOut := (*big.Int)(nil)
	for first := 0; first < 80; first += 10 {
		src, err := os.ReadFile(filepath.FromSlash(fmt.Sprintf("%s/L%02d.lean", layersDir, first)))
		if err != nil {
			t.Fatal(err)
		}
		s := string(src)
		for _, m := range normRE.FindAllStringSubmatch(s, -1) {
			counts["rmsnorm"]++
			if mul(n(m[1]), big.NewInt(91)).Cmp(n(m[2])) > 0 {
				t.Errorf("rmsnorm: %s·91 > %s", m[1], m[2])
			}
		}
		for _, m := range attnRE.FindAllStringSubmatch(s, -1) {
			counts["attn"]++
			u, sv, so, a := n(m[2]), n(m[3]), n(m[4]), n(m[5])
			if u.Sign() < 0 || mul(big.NewInt(8192), five, so, proj(8192, sv, u)).Cmp(mul(a, two24)) > 0 {
				t.Errorf("layer %s attention: side condition fails", m[1])
			}
		}
		for _, m := range ffnRE.FindAllStringSubmatch(s, -1) {
			counts["ffn"]++
			u, sg, su, sd, f := n(m[2]), n(m[3]), n(m[4]), n(m[5]), n(m[6])
			hidden := ceil(mul(proj(8192, sg, u), proj(8192, su, u)), 256)
			if mul(big.NewInt(28672), five, sd, hidden).Cmp(mul(f, two24)) > 0 {
				t.Errorf("layer %s FFN: side condition fails", m[1])
			}
		}
		for _, m := range residRE.FindAllStringSubmatch(s, -1) {
			counts["resid"]++
			sum := new(big.Int).Add(n(m[1]), n(m[2]))
			if sum.Add(sum, n(m[3])).Cmp(n(m[4])) > 0 {
				t.Errorf("residual: %s + %s + %s > %s", m[1], m[2], m[3], m[4])
			}
			if prevOut != nil && prevOut.Cmp(n(m[1])) != 0 {
				t.Errorf("residual: layer enters with %s, previous layer leaves with %v", m[1], prevOut)
			}
			prevOut = n(m[4])
		}
	}
	// Two norms per layer.
	if counts["rmsnorm"] != 160 || counts["attn"] != 80 || counts["ffn"] != 80 || counts["resid"] != 80 {
		t.Errorf("parsed %v; want 160 norm clauses and 80 of each block", counts)
	}
}

// TestTableMatchesTheorems requires the Lean tables that llama_model_bounded
// reads (LeanProve/Layers/Table.lean) to hold the numerals the per-layer
// theorems state, and the residual table to be the running sum of the blocks.
func TestTableMatchesTheorems(t *testing.T) {
	table, err := os.ReadFile(filepath.FromSlash(tablePath))
	if err != nil {
		t.Fatal(err)
	}
	tables := map[string][]string{}
	for _, m := range regexp.MustCompile(`def (\w+Table) : List Int := \[([^\]]*)\]`).FindAllStringSubmatch(string(table), -1) {
		tables[m[1]] = regexp.MustCompile(`\d+`).FindAllString(m[2], -1)
	}
	var layers strings.Builder
	for first := 0; first < 80; first += 10 {
		src, err := os.ReadFile(filepath.FromSlash(fmt.Sprintf("%s/L%02d.lean", layersDir, first)))
		if err != nil {
			t.Fatal(err)
		}
		layers.Write(src)
	}
	src := layers.String()
	attn, ffn, resid := attnRE.FindAllStringSubmatch(src, -1), ffnRE.FindAllStringSubmatch(src, -1), residRE.FindAllStringSubmatch(src, -1)
	norms := normRE.FindAllStringSubmatch(src, -1)
	if len(attn) != 80 || len(ffn) != 80 || len(resid) != 80 || len(norms) != 160 || len(tables["residTable"]) != 81 {
		t.Fatalf("parsed %d attn, %d ffn, %d resid, %d norm clauses, %d residual entries", len(attn), len(ffn), len(resid), len(norms), len(tables["residTable"]))
	}
	for l := 0; l < 80; l++ {
		pairs := [][2]string{
			{tables["gAttnTable"][l], norms[2*l][1]}, {tables["uAttnTable"][l], norms[2*l][2]},
			{tables["gFfnTable"][l], norms[2*l+1][1]}, {tables["uFfnTable"][l], norms[2*l+1][2]},
			{tables["svTable"][l], attn[l][3]}, {tables["soTable"][l], attn[l][4]}, {tables["attnTable"][l], attn[l][5]},
			{tables["sgTable"][l], ffn[l][3]}, {tables["suTable"][l], ffn[l][4]}, {tables["sdTable"][l], ffn[l][5]},
			{tables["ffnTable"][l], ffn[l][6]}, {tables["uAttnTable"][l], attn[l][2]}, {tables["uFfnTable"][l], ffn[l][2]},
			{tables["residTable"][l], resid[l][1]}, {tables["residTable"][l+1], resid[l][4]},
		}
		for i, p := range pairs {
			if p[0] != p[1] {
				t.Errorf("layer %d, constant %d: table has %s, theorem states %s", l, i, p[0], p[1])
			}
		}
		if want := resid[l][4]; resid[l][1] != tables["residTable"][l] || attn[l][5] != resid[l][2] || ffn[l][6] != resid[l][3] || want != tables["residTable"][l+1] {
			t.Errorf("layer %d: residual theorem does not use the layer's block bounds", l)
		}
	}
}
