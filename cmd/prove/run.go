package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"sync"

	"github.com/rs/zerolog"
)

// env is what every mode receives: where to write, and the logger.
type env struct {
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	log    zerolog.Logger
	// stderrIsTerminal says whether a person watches stderr (progress bars).
	stderrIsTerminal bool
	// logSink is where log lines go: stderr, or the progress display while
	// it draws, so that lines print above the bar instead of through it.
	logSink *lockedWriter
}

// A mode is one subcommand, in the style of cmd/go's base.Command.
type mode struct {
	name  string
	short string
	run   func(ctx context.Context, e *env, args []string) error
}

// modes lists every subcommand; "prove" is the default when the first
// argument is a flag.
func modes() []mode {
	return []mode{
		{"prove", "prove one theorem (--theorem NAME)", runProve},
		{"batch", "prove every theorem with sorry under the given paths", runBatch},
		{"report", "automation-rate reports of stored runs", runReport},
		{"serve", "JSON-RPC 2.0 proof service over stdio or TCP", runServe},
		{"bench", "offline search against recorded traces", runBench},
		{"corpus", "import, extract and summarize tactic traces", runCorpus},
		{"policy", "train and evaluate tactic policies", runPolicy},
		{"theorems", "generate (gen) or statically check (check) the theorem library", runTheorems},
	}
}

// usageError marks errors that deserve exit status 2 and a pointer to -h.
type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }
func (u usageError) Unwrap() error { return u.err }

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// errNotProved ends a run that searched properly but found no proof: exit 1.
var errNotProved = errors.New("not proved")

// run is main without the process: it parses args, runs one mode and
// returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	// Batch workers, the progress display and the logger all write to these
	// from several goroutines.
	tty := isTerminal(stderr)
	stdout, stderr = &lockedWriter{w: stdout}, &lockedWriter{w: stderr}
	logSink := &lockedWriter{w: stderr}
	e := &env{
		stderrIsTerminal: tty,
		stdin:            os.Stdin,
		stdout:           stdout,
		stderr:           stderr,
		logSink:          logSink,
		log:              zerolog.New(zerolog.ConsoleWriter{Out: logSink, NoColor: true}).With().Timestamp().Logger(),
	}
	name := "prove"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		name, args = args[0], args[1:]
	}
	if name == "help" {
		printUsage(stdout)
		return 0
	}
	var m *mode
	for _, c := range modes() {
		if c.name == name {
			m = &c
			break
		}
	}
	if m == nil {
		fmt.Fprintf(stderr, "prove: unknown mode %q\n", name)
		printUsage(stderr)
		return 2
	}
	prefix := "prove"
	if m.name != "prove" {
		prefix += " " + m.name
	}
	err := m.run(ctx, e, args)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errNotProved):
		return 1
	}
	var ue usageError
	if errors.As(err, &ue) {
		fmt.Fprintf(stderr, "%s: %v\n", prefix, err)
		fmt.Fprintf(stderr, "Run '%s -h' for usage.\n", prefix)
		return 2
	}
	fmt.Fprintf(stderr, "%s: %v\n", prefix, err)
	return 2
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: prove [MODE] [flags]")
	fmt.Fprintln(w, "\nModes:")
	ms := modes()
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].name == "prove" && ms[j].name != "prove" })
	for _, m := range ms {
		fmt.Fprintf(w, "  %-9s %s\n", m.name, m.short)
	}
	fmt.Fprintln(w, "\nWith no mode, prove proves one theorem: prove --theorem NAME.")
}

// lockedWriter serializes writes, so concurrent lines never interleave,
// and lets the destination change while writers hold it.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// redirect sends later writes to w and returns the previous destination.
func (l *lockedWriter) redirect(w io.Writer) io.Writer {
	l.mu.Lock()
	defer l.mu.Unlock()
	prev := l.w
	l.w = w
	return prev
}

// newFlagSet returns a flag set for mode name that reports to e.stderr
// instead of exiting.
func newFlagSet(e *env, name string) *flag.FlagSet {
	fs := flag.NewFlagSet("prove "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	return fs
}

// parseFlags parses args into fs and turns a parse failure into a usage
// error; -h yields flag.ErrHelp, which run treats as success.
//
// Flags may come after the names too ("prove batch Demo --db x.db"): the
// flag package stops at the first name, and a flag after it would be read
// as a file. Everything after "--" is a name.
func parseFlags(fs *flag.FlagSet, args []string) error {
	var names []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return err
			}
			return usageError{err}
		}
		rest := fs.Args()
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			names = append(names, rest...)
			break
		}
		if len(rest) == 0 {
			break
		}
		names, args = append(names, rest[0]), rest[1:]
	}
	// Parsing "--" then the names leaves them as fs.Args(), flags kept.
	return fs.Parse(append([]string{"--"}, names...))
}
