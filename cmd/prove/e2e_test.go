package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/leanprove/leanprove/internal/testenv"
)

// TestMain removes the stand-in lake that the tests built, so that no run
// leaves a binary behind in the temporary folder.
func TestMain(m *testing.M) {
	code := m.Run()
	if fakeLake != "" {
		os.RemoveAll(fakeLake)
	}
	os.Exit(code)
}

// fakeLakeDir builds the stand-in lake (leanrpc/leanrpctest/cmd/lake) once
// per test binary, as both lake and lean, and returns its directory.
func fakeLakeDir(t *testing.T) string {
	t.Helper()
	fakeLakeOnce.Do(buildFakeLake)
	if fakeLakeErr != nil {
		t.Fatalf("build the stand-in lake: %v", fakeLakeErr)
	}
	return fakeLake
}

func buildFakeLake() {
	dir, err := os.MkdirTemp("", "fakelake")
	if err != nil {
		fakeLakeErr = err
		return
	}
	fakeLake = dir // TestMain removes it, built or not
	out, err := exec.Command("go", "build", "-o", filepath.Join(dir, "lake"), "github.com/leanprove/leanprove/leanrpc/leanrpctest/cmd/lake").CombinedOutput()
	if err != nil {
		fakeLakeErr = &buildError{out: string(out), err: err}
		return
	}
	if err := os.Symlink(filepath.Join(dir, "lake"), filepath.Join(dir, "lean")); err != nil {
		fakeLakeErr = err
	}
}

type buildError struct {
	out string
	err error
}

func (b *buildError) Error() string { return b.err.Error() + "\n" + b.out }

// leanProject writes a Lake project with the given files and a script for
// the fake server, and puts the stand-in lake first on PATH.
func leanProject(t *testing.T, files map[string]string, script string) string {
	t.Helper()
	dir := t.TempDir()
	files["lakefile.toml"] = "name = \"demo\"\ndefaultTargets = [\"Demo\"]\n\n[[lean_lib]]\nname = \"Demo\"\n"
	files["lean-toolchain"] = "leanprover/lean4:v4.24.0\n"
	testenv.WriteFiles(t, dir, files)
	scriptPath := filepath.Join(t.TempDir(), "script.json")
	if err := os.WriteFile(scriptPath, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", fakeLakeDir(t)+string(os.PathListSeparator)+os.Getenv("PATH"))
	t.Setenv("LEANRPCTEST_SCRIPT", scriptPath)
	return dir
}

const demoLean = `/-- A lemma the prover can close. -/
theorem add_zero' (n : Nat) : n + 0 = n := by sorry

theorem hard : 1 = 2 := by
  sorry

theorem untouched : True := trivial
`

// demoScript: skip keeps a state (how prove reads a theorem's goals), simp
// closes add_zero', and nothing closes hard.
const demoScript = `{
  "theorems": {"add_zero'": "n : Nat\n⊢ n + 0 = n", "hard": "⊢ 1 = 2"},
  "steps": [
    {"state": "n : Nat\n⊢ n + 0 = n", "tactic": "skip", "new_state": "n : Nat\n⊢ n + 0 = n"},
    {"state": "⊢ 1 = 2", "tactic": "skip", "new_state": "⊢ 1 = 2"},
    {"state": "n : Nat\n⊢ n + 0 = n", "tactic": "simp", "new_state": "no goals"}
  ]
}`

func TestProveEndToEndWritesTheProof(t *testing.T) {
	dir := leanProject(t, map[string]string{"Demo.lean": demoLean}, demoScript)
	db := filepath.Join(t.TempDir(), "runs.db")
	code, stdout, stderr := runCLI(t, "--theorem", "add_zero'", "--project", dir, "--write", "--json", "--expansions", "20", "--workers", "3", "--db", db)
	if code != 0 {
		t.Fatalf("exit status %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	var res proveResult
	if err := json.Unmarshal([]byte(stdout), &res); err != nil {
		t.Fatalf("--json output %q: %v", stdout, err)
	}
	if !res.Proved || !res.Written || strings.Join(res.Proof, ";") != "simp" || res.Line != 2 {
		t.Errorf("result = %+v, want proved by simp at line 2 and written", res)
	}
	got, err := os.ReadFile(filepath.Join(dir, "Demo.lean"))
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Replace(demoLean, "n + 0 = n := by sorry", "n + 0 = n := by simp", 1)
	if string(got) != want {
		t.Errorf("file after --write:\n%s\nwant:\n%s", got, want)
	}
	// --db keeps the result and the proof's steps, as batch does.
	code, stdout, _ = runCLI(t, "report", "--db", db, "--format", "json")
	if code != 0 || !strings.Contains(stdout, `"proved": 1`) {
		t.Errorf("report of the stored result: exit %d\n%s", code, stdout)
	}
	if !strings.Contains(stdout, "workers=3") {
		t.Errorf("stored manifest does not record --workers 3:\n%s", stdout)
	}
}

func TestProveEndToEndNotProved(t *testing.T) {
	dir := leanProject(t, map[string]string{"Demo.lean": demoLean}, demoScript)
	code, stdout, stderr := runCLI(t, "--theorem", "hard", "--project", dir, "--write", "--expansions", "5")
	if code != 1 {
		t.Fatalf("exit status %d, want 1\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	if !strings.HasPrefix(stdout, "not proved: hard (") {
		t.Errorf("stdout = %q", stdout)
	}
	got, _ := os.ReadFile(filepath.Join(dir, "Demo.lean"))
	if string(got) != demoLean {
		t.Errorf("an unproved theorem changed the file:\n%s", got)
	}
}

func TestProveInputErrors(t *testing.T) {
	dir := leanProject(t, map[string]string{"Demo.lean": demoLean}, demoScript)
	notLake := t.TempDir()
	broken := leanProject(t, map[string]string{"Demo.lean": "theorem bad : (1 = 1 := by sorry\n"}, demoScript)
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown theorem lists close names", []string{"--theorem", "add_zero", "--project", dir}, "add_zero'"},
		{"not a Lake project", []string{"--theorem", "x", "--project", notLake}, "lakefile.lean or lakefile.toml"},
		{"a file that does not parse", []string{"--theorem", "bad", "--project", broken}, "Demo.lean:1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, stderr := runCLI(t, tt.args...)
			if code != 2 || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit status %d, stderr:\n%s\nwant status 2 mentioning %q", code, stderr, tt.want)
			}
		})
	}
}

func TestProveWithoutLean(t *testing.T) {
	dir := leanProject(t, map[string]string{"Demo.lean": demoLean}, demoScript)
	t.Setenv("PATH", t.TempDir()) // neither lake nor lean
	code, _, stderr := runCLI(t, "--theorem", "add_zero'", "--project", dir)
	if code != 2 || !strings.Contains(stderr, "elan") || strings.Contains(stderr, "goroutine") {
		t.Errorf("exit status %d, stderr:\n%s\nwant 2 with how to install Lean", code, stderr)
	}
}

var (
	fakeLakeOnce sync.Once
	fakeLake     string
	fakeLakeErr  error
)
