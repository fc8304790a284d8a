package leanrpc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/sourcegraph/conc"
)

// DefaultMaxHeartbeats is Lean's own default (lean-lsp.md §1.5).
const DefaultMaxHeartbeats = 200000

// ServerConfig configures Start.
type ServerConfig struct {
	// ProjectDir is the Lake project root; the server runs there (Lean
	// ignores rootUri and uses its working directory).
	ProjectDir string
	// Command overrides the server command line. Empty: `lake serve --
	// <args>` when lake is on PATH, else `lean --server <args>`.
	Command []string
	// MaxHeartbeats is passed as -DmaxHeartbeats (0: DefaultMaxHeartbeats).
	MaxHeartbeats int
	// Threads, when positive, is passed as -j to bound each worker's pool.
	Threads int
	// ExtraArgs are appended to the server arguments (-D options …).
	ExtraArgs []string
	// Env is added to the server's environment.
	Env []string
	// Conn configures the connection (request timeout, protocol log).
	Conn ConnOptions
	// StartTimeout bounds initialize (0: one minute).
	StartTimeout time.Duration
	// ShutdownTimeout bounds the graceful shutdown before the process
	// tree is killed (0: five seconds).
	ShutdownTimeout time.Duration
	// Stderr, when set, receives a copy of the server's stderr (which is
	// always drained: Lean workers inherit it and block when it fills).
	Stderr io.Writer
}

// ServerArgs are the arguments Start gives Lean after `lake serve --` or
// `lean --server` (lean-lsp.md §10.1).
func (cfg *ServerConfig) ServerArgs() []string {
	hb := cfg.MaxHeartbeats
	if hb <= 0 {
		hb = DefaultMaxHeartbeats
	}
	args := []string{"-Dserver.reportDelayMs=0", "-DmaxHeartbeats=" + strconv.Itoa(hb)}
	if cfg.Threads > 0 {
		args = append(args, "-j"+strconv.Itoa(cfg.Threads))
	}
	return append(args, cfg.ExtraArgs...)
}

// ResolveCommand returns the command line Start would run: the configured
// one, else lake serve, else lean --server; ErrLeanNotFound when neither is
// on PATH.
func (cfg *ServerConfig) ResolveCommand() ([]string, error) {
	if len(cfg.Command) > 0 {
		return cfg.Command, nil
	}
	if lake, err := exec.LookPath("lake"); err == nil {
		return append([]string{lake, "serve", "--"}, cfg.ServerArgs()...), nil
	}
	if lean, err := exec.LookPath("lean"); err == nil {
		return append([]string{lean, "--server"}, cfg.ServerArgs()...), nil
	}
	return nil, ErrLeanNotFound
}

// A Server is a running Lean language server process and its connection.
type Server struct {
	*Conn
	ProjectDir string
	cmd        *exec.Cmd
	stderr     *tailBuffer
	drain      conc.WaitGroup
	exited     chan struct{}
	waitErr    error
	closeOnce  sync.Once
	closeErr   error
	shutdown   time.Duration
}

// Start runs the server in projectDir (which must be a Lake project),
// performs the initialize handshake and returns the Server.
func Start(ctx context.Context, cfg ServerConfig) (*Server, error) {
	root, err := filepath.Abs(cfg.ProjectDir)
	if err != nil {
		return nil, fmt.Errorf("start Lean server: %w", err)
	}
	if err := CheckLakeProject(root); err != nil {
		return nil, err
	}
	argv, err := cfg.ResolveCommand()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), cfg.Env...)
	// Own process group, so Close can end the whole tree.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, fmt.Errorf("start %s: %w", argv[0], err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, fmt.Errorf("start %s: %w", argv[0], err)
	}
	stderrPipe, err := cmd.StderrPipe()
	if err != nil {
		return nil, fmt.Errorf("start %s: %w", argv[0], err)
	}
	if err := cmd.Start(); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			return nil, fmt.Errorf("start %s: %w", argv[0], ErrLeanNotFound)
		}
		return nil, fmt.Errorf("start %s: %w", strings.Join(argv, " "), err)
	}
	s := &Server{ProjectDir: root, cmd: cmd, stderr: newTailBuffer(64 << 10), exited: make(chan struct{}),
		shutdown: cfg.ShutdownTimeout}
	if s.shutdown <= 0 {
		s.shutdown = 5 * time.Second
	}
	s.drain.Go(func() {
		var w io.Writer = s.stderr
		if cfg.Stderr != nil {
			w = io.MultiWriter(s.stderr, cfg.Stderr)
		}
		_, _ = io.Copy(w, stderrPipe)
	})
	// Wait only after stderr is drained (exec.Cmd.Wait closes the pipe).
	go func() {
		s.drain.Wait()
		s.waitErr = cmd.Wait()
		close(s.exited)
	}()
	s.Conn = NewConn(context.WithoutCancel(ctx), pipeRWC{stdout, stdin}, cfg.Conn)
	startTimeout := cfg.StartTimeout
	if startTimeout <= 0 {
		startTimeout = time.Minute
	}
	initCtx, cancel := context.WithTimeout(ctx, startTimeout)
	defer cancel()
	if _, err := s.Initialize(initCtx, "file://"+root); err != nil {
		_ = s.kill()
		<-s.exited
		_ = s.Conn.Close()
		return nil, fmt.Errorf("start %s in %s: %w (stderr: %s)", strings.Join(argv, " "), root, err, s.Stderr())
	}
	return s, nil
}

// Stderr returns the tail of what the server wrote to stderr.
func (s *Server) Stderr() string { return strings.TrimSpace(s.stderr.String()) }

// Pid is the server process's id.
func (s *Server) Pid() int { return s.cmd.Process.Pid }

// Exited is closed when the server process has exited.
func (s *Server) Exited() <-chan struct{} { return s.exited }

// Close shuts the server down gracefully (shutdown, exit) within the
// shutdown timeout, then kills every process it started.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), s.shutdown)
		defer cancel()
		// Remember the tree now: once the server exits, its workers (own
		// sessions, lean-lsp.md §1.1) are orphans we could not find.
		tree := descendants(s.cmd.Process.Pid)
		err := s.Shutdown(ctx)
		select {
		case <-s.exited:
		case <-ctx.Done():
		}
		// Lean starts its workers with setsid, outside our process group:
		// kill the descendants first, then the group.
		_ = s.kill()
		for _, p := range tree {
			p.kill()
		}
		<-s.exited
		_ = s.Conn.Close()
		if err != nil && !errors.Is(err, ErrServerExited) {
			s.closeErr = err
		}
	})
	return s.closeErr
}

func (s *Server) kill() error {
	pid := s.cmd.Process.Pid
	for _, child := range descendants(pid) {
		child.kill()
	}
	_ = syscall.Kill(-pid, syscall.SIGKILL)
	return nil
}

// proc identifies a process by pid and start time, so that a recycled pid
// is never killed by mistake.
type proc struct {
	pid   int
	start string
}

func (p proc) kill() {
	if _, start, ok := readStat(p.pid); ok && start == p.start {
		_ = syscall.Kill(p.pid, syscall.SIGKILL)
	}
}

// readStat returns the parent pid and start time of pid from /proc.
func readStat(pid int) (ppid int, start string, ok bool) {
	stat, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return 0, "", false
	}
	// pid (comm) state ppid … starttime is field 22; comm may hold spaces.
	fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
	if len(fields) < 20 {
		return 0, "", false
	}
	ppid, _ = strconv.Atoi(fields[1])
	return ppid, fields[19], true
}

// descendants lists the process tree below pid from /proc (Linux); it is
// empty elsewhere, where the process group kill is all we can do.
func descendants(pid int) []proc {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	children := map[int][]proc{}
	for _, e := range entries {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if ppid, start, ok := readStat(p); ok {
			children[ppid] = append(children[ppid], proc{p, start})
		}
	}
	var out []proc
	queue := []int{pid}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		for _, c := range children[p] {
			out = append(out, c)
			queue = append(queue, c.pid)
		}
	}
	return out
}

type pipeRWC struct {
	io.ReadCloser
	w io.WriteCloser
}

func (p pipeRWC) Write(b []byte) (int, error) { return p.w.Write(b) }

func (p pipeRWC) Close() error {
	werr := p.w.Close()
	rerr := p.ReadCloser.Close()
	return errors.Join(werr, rerr)
}

// tailBuffer keeps the last n bytes written.
type tailBuffer struct {
	mu  sync.Mutex
	n   int
	buf []byte
}

func newTailBuffer(n int) *tailBuffer { return &tailBuffer{n: n} }

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > t.n {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-t.n:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}
