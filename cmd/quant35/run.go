package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
)

// errUsage marks errors that exit with status 2.
var errUsage = errors.New("usage")

type env struct {
	stdout, stderr io.Writer
}

const usageText = `usage: quant35 <command> [flags]

commands:
  size     --params N [--group G]          sizes and ratios for every format
  eval     --model FILE [--group G]        error table for every format
  pack     --model FILE --out FILE.q35     quantize a weight file
  unpack   --in FILE.q35 --out FILE.st     dequantize to F32 safetensors
  vectors  --out FILE [--seed N]           write kernel test vectors

run 'quant35 <command> -h' for a command's flags.
`

// run is main without the process: it returns the exit status.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	e := &env{stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		fmt.Fprint(stderr, usageText)
		return 2
	}
	cmds := map[string]func(context.Context, *env, []string) error{
		"size":    runSize,
		"eval":    runEval,
		"pack":    runPack,
		"unpack":  runUnpack,
		"vectors": runVectors,
	}
	cmd, ok := cmds[args[0]]
	if !ok {
		if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
			fmt.Fprint(stdout, usageText)
			return 0
		}
		fmt.Fprintf(stderr, "quant35: unknown command %q\n%s", args[0], usageText)
		return 2
	}
	err := cmd(ctx, e, args[1:])
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintf(stderr, "quant35 %s: %v\n", args[0], err)
		return 2
	default:
		fmt.Fprintf(stderr, "quant35 %s: %v\n", args[0], err)
		return 1
	}
}

func usagef(format string, a ...any) error {
	return fmt.Errorf("%w: %s", errUsage, fmt.Sprintf(format, a...))
}

// newFlagSet returns a flag set that reports parse errors to stderr and
// never exits the process.
func newFlagSet(e *env, name string) *flag.FlagSet {
	fs := flag.NewFlagSet("quant35 "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	return fs
}

// parseFlags parses args; a bad flag or a stray argument is a usage error.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	return nil
}
