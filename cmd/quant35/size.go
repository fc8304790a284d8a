package main

import (
	"context"
	"fmt"
	"math"
	"text/tabwriter"

	"github.com/leanprove/leanprove/quantcore"
)

// sizeRow is one line of the size table.
type sizeRow struct {
	name string
	bpw  float64
}

func sizeRows(params float64, group int) []sizeRow {
	n := int(min(params, math.MaxInt64))
	rows := []sizeRow{{"fp32", 32}, {"fp16", 16}, {"q35 codes only (before scales)", 3.5}}
	for _, f := range quantcore.EvalFormats(group) {
		if f.Name() == (quantcore.Q35Format{Group: group, ClipSearch: true}).Name() {
			continue // same storage as q35 without clip search
		}
		rows = append(rows, sizeRow{f.Name(), f.BitsPerWeight(n)})
	}
	return rows
}

func runSize(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "size")
	params := fs.Float64("params", 0, "number of weights, e.g. 70e9")
	group := fs.Int("group", quantcore.DefaultGroupSize, "q35 and split43 group size (even)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if !(*params >= 1) || math.IsInf(*params, 0) {
		return usagef("--params must be a positive number of weights such as 70e9, got %v", *params)
	}
	if *group <= 0 || *group%2 != 0 {
		return usagef("--group must be positive and even, got %d", *group)
	}
	fmt.Fprintf(e.stdout, "%.4g weights; GB = 1e9 bytes, GiB = 2^30 bytes; bits per weight include scales\n\n", *params)
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "format\tbits/weight\tGB\tGiB\tvs FP16\tvs FP32\t")
	for _, r := range sizeRows(*params, *group) {
		bytes := *params * r.bpw / 8
		fmt.Fprintf(tw, "%s\t%.4f\t%.3f\t%.3f\t%.3f×\t%.3f×\t\n",
			r.name, r.bpw, bytes/1e9, bytes/(1<<30), 16/r.bpw, 32/r.bpw)
	}
	return tw.Flush()
}
