package main

import (
	"context"
	"fmt"
	"os"

	"github.com/leanprove/leanprove/quantcore"
)

func runVectors(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "vectors")
	out := fs.String("out", "", "output file (Q35V format, see quantcore/vectors.go)")
	seed := fs.Uint64("seed", 1, "random seed of the generated weights and activations")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usagef("--out is required")
	}
	cases, err := quantcore.GenerateVectors(*seed)
	if err != nil {
		return err
	}
	if err := writeFile(*out, func(f *os.File) error { return quantcore.WriteVectors(f, cases) }); err != nil {
		return err
	}
	for _, c := range cases {
		fmt.Fprintf(e.stdout, "%-28s rows=%-4d cols=%-6d G=%-4d batch=%d\n", c.Name, c.M.Rows, c.M.Cols, c.M.GroupSize, len(c.XQ))
	}
	fmt.Fprintf(e.stdout, "wrote %d cases to %s\n", len(cases), *out)
	return nil
}
