package leanrpc_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/leanprove/leanprove/leanrpc"
	"github.com/leanprove/leanprove/leanrpc/leanrpctest"
)

// TestMain doubles as the fake Lean server process: with
// LEANRPC_FAKE_SERVER=1 the test binary serves LSP on stdin/stdout
// (configured by the LEANRPCTEST_* variables) instead of running tests.
func TestMain(m *testing.M) {
	if os.Getenv("LEANRPC_FAKE_SERVER") == "1" {
		opts, err := leanrpctest.OptionsFromEnv()
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Fprintln(os.Stderr, "fake Lean server starting")
		if pidFile := os.Getenv("LEANRPC_FAKE_WORKER_PIDFILE"); pidFile != "" {
			// Like Lean's file workers: a child in its own session.
			child := exec.Command("sleep", "300")
			child.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
			if err := child.Start(); err == nil {
				_ = os.WriteFile(pidFile, []byte(strconv.Itoa(child.Process.Pid)), 0o644)
			}
		}
		leanrpctest.ServeStdio(opts)
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func writeScript(t testing.TB, s *leanrpctest.Script) string {
	t.Helper()
	data, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "script.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func helperConfig(t testing.TB, extraEnv ...string) leanrpc.ServerConfig {
	sc := script()
	sc.Steps = append(sc.Steps, leanrpctest.ScriptStep{Tactic: "die", Result: leanrpctest.Result{ExitProcess: true}})
	return leanrpc.ServerConfig{
		ProjectDir: filepath.Join("testdata", "proj"),
		Command:    []string{os.Args[0], "-test.run=^$"},
		Env: append([]string{"LEANRPC_FAKE_SERVER=1", leanrpctest.EnvScript + "=" + writeScript(t, sc)},
			extraEnv...),
		ShutdownTimeout: 5 * time.Second,
	}
}

// processGone waits (SIGKILL is asynchronous) until pid has died.
func processGone(pid int) bool {
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if processDead(pid) {
			return true
		}
	}
	return false
}

func processDead(pid int) bool {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return true
	}
	// A zombie whose parent died may linger where nothing reaps it.
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	rest := string(stat[strings.LastIndexByte(string(stat), ')')+1:])
	return strings.HasPrefix(strings.TrimSpace(rest), "Z")
}

func TestServerProcessLifecycle(t *testing.T) {
	pidFile := filepath.Join(t.TempDir(), "worker.pid")
	var env []string
	if _, err := exec.LookPath("sleep"); err == nil {
		env = append(env, "LEANRPC_FAKE_WORKER_PIDFILE="+pidFile)
	}
	ctx := context.Background()
	srv, err := leanrpc.Start(ctx, helperConfig(t, env...))
	if err != nil {
		t.Fatal(err)
	}
	s := srv.NewSession(leanrpc.SessionConfig{Theorem: theorem, ApplyTimeout: 10 * time.Second})
	out, err := s.Apply(ctx, []string{"induction n", "· rfl"}, "omega")
	if err != nil || out.Kind != leanrpc.Proved {
		t.Fatalf("Apply = %+v, %v", out, err)
	}
	v, err := s.Verify(ctx, []string{"induction n", "· rfl", "omega"})
	if err != nil || v.Status != leanrpc.Verified {
		t.Fatalf("Verify = %+v, %v", v, err)
	}
	if err := s.Close(ctx); err != nil {
		t.Errorf("session close: %v", err)
	}
	worker := 0
	if len(env) > 0 {
		data, err := os.ReadFile(pidFile)
		if err != nil {
			t.Fatalf("the fake server did not start its worker: %v", err)
		}
		worker, _ = strconv.Atoi(string(data))
	}
	if err := srv.Close(); err != nil {
		t.Errorf("close: %v", err)
	}
	select {
	case <-srv.Exited():
	default:
		t.Errorf("server process still running after Close")
	}
	if worker == 0 {
		t.Log("no sleep binary: the worker-tree part of this test did not run")
	} else if !processGone(worker) {
		st, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", worker))
		t.Errorf("worker process %d (own session, like Lean's) survived Close: %s", worker, st)
		_ = syscall.Kill(worker, syscall.SIGKILL)
	}
	if !strings.Contains(srv.Stderr(), "fake Lean server starting") {
		t.Errorf("stderr not captured: %q", srv.Stderr())
	}
}

func TestServerProcessDeath(t *testing.T) {
	ctx := context.Background()
	srv, err := leanrpc.Start(ctx, helperConfig(t))
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	s := srv.NewSession(leanrpc.SessionConfig{Theorem: theorem, ApplyTimeout: 10 * time.Second})
	_, err = s.Apply(ctx, nil, "die")
	if !errors.Is(err, leanrpc.ErrServerExited) {
		t.Fatalf("Apply when the server exits = %v, want ErrServerExited", err)
	}
	select {
	case <-srv.Exited():
	case <-time.After(10 * time.Second):
		t.Fatal("server process did not exit")
	}
}

func TestStartErrors(t *testing.T) {
	ctx := context.Background()
	t.Run("lake not on PATH", func(t *testing.T) {
		t.Setenv("PATH", t.TempDir())
		_, err := leanrpc.Start(ctx, leanrpc.ServerConfig{ProjectDir: filepath.Join("testdata", "proj")})
		if !errors.Is(err, leanrpc.ErrLeanNotFound) || !strings.Contains(err.Error(), "elan") {
			t.Fatalf("Start without lake = %v, want ErrLeanNotFound mentioning elan", err)
		}
	})
	t.Run("not a Lake project", func(t *testing.T) {
		dir := t.TempDir()
		_, err := leanrpc.Start(ctx, leanrpc.ServerConfig{ProjectDir: dir})
		if !errors.Is(err, leanrpc.ErrNotLakeProject) || !strings.Contains(err.Error(), "lakefile.lean or lakefile.toml") ||
			!strings.Contains(err.Error(), dir) {
			t.Fatalf("Start outside a project = %v, want ErrNotLakeProject naming the lakefile and the folder", err)
		}
	})
	t.Run("server fails to initialize", func(t *testing.T) {
		_, err := leanrpc.Start(ctx, leanrpc.ServerConfig{ProjectDir: filepath.Join("testdata", "proj"),
			Command: []string{"sh", "-c", "echo 'invalid -D parameter' >&2; exit 1"}, StartTimeout: 10 * time.Second})
		if err == nil || !strings.Contains(err.Error(), "invalid -D parameter") {
			t.Fatalf("Start of a failing server = %v, want its stderr in the error", err)
		}
	})
}

// TestStandInExecutable builds leanrpctest/cmd/lake, puts it on PATH as
// lake (and lean), and runs the default command line end to end.
func TestStandInExecutable(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a binary; skipped with -short")
	}
	bin := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(bin, "lake"), "./leanrpctest/cmd/lake")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	data, err := os.ReadFile(filepath.Join(bin, "lake"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(bin, "lean"), data, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin)
	t.Setenv(leanrpctest.EnvScript, writeScript(t, script()))
	ctx := context.Background()
	for _, withLake := range []bool{true, false} {
		if !withLake {
			if err := os.Remove(filepath.Join(bin, "lake")); err != nil {
				t.Fatal(err)
			}
		}
		cfg := leanrpc.ServerConfig{ProjectDir: filepath.Join("testdata", "proj"), MaxHeartbeats: 400000}
		argv, err := cfg.ResolveCommand()
		if err != nil {
			t.Fatal(err)
		}
		wantArgs := "serve -- -Dserver.reportDelayMs=0 -DmaxHeartbeats=400000"
		if !withLake {
			wantArgs = "--server -Dserver.reportDelayMs=0 -DmaxHeartbeats=400000"
		}
		if got := strings.Join(argv[1:], " "); got != wantArgs {
			t.Errorf("command = %q, want %q", got, wantArgs)
		}
		srv, err := leanrpc.Start(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		s := srv.NewSession(leanrpc.SessionConfig{Theorem: theorem})
		if out, err := s.Apply(ctx, nil, "simp"); err != nil || out.Kind != leanrpc.Proved {
			t.Errorf("Apply through %s = %+v, %v", argv[0], out, err)
		}
		if err := srv.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	}
}
