package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/leanprove/leanprove/quantcore"
)

func runEval(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "eval")
	model := fs.String("model", "", "safetensors or GGUF file (F32, F16 or BF16 tensors)")
	group := fs.Int("group", quantcore.DefaultGroupSize, "q35 and split43 group size (even, divides every row)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *model == "" {
		return usagef("--model is required")
	}
	if *group <= 0 || *group%2 != 0 {
		return usagef("--group must be positive and even, got %d", *group)
	}
	tensors, err := quantcore.ReadWeights(ctx, *model)
	if err != nil {
		return err
	}
	formats := quantcore.EvalFormats(*group)
	totals := make([]quantcore.ErrorStats, len(formats))
	bits := make([]float64, len(formats))
	var skipped []string
	var quantized, inRange, clipped int
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "tensor\tshape\tformat\tbits/weight\tSQNR dB\trel MSE\tmax abs err\t")
	for _, t := range tensors {
		if err := ctx.Err(); err != nil {
			return err
		}
		rows, cols, ok := t.Matrix()
		if !ok {
			skipped = append(skipped, t.Name)
			continue
		}
		quantized++
		for i, f := range formats {
			wq, err := f.QuantDequant(t.Name, t.Data, rows, cols)
			if err != nil {
				return fmt.Errorf("%s: %s: %w", *model, f.Name(), err)
			}
			st := quantcore.MeasureError(t.Data, wq)
			totals[i].Add(st)
			bpw := f.BitsPerWeight(len(t.Data))
			bits[i] += bpw * float64(len(t.Data))
			fmt.Fprintf(tw, "%s\t%dx%d\t%s\t%.3f\t%.2f\t%.3e\t%.3e\t\n", t.Name, rows, cols, f.Name(), bpw, st.SQNR(), st.RelMSE(), st.MaxAbs)
		}
		// The theorems' bound on the q35 format itself, with clip search too.
		for _, clip := range []bool{false, true} {
			m, err := quantcore.QuantizeMatrix(t.Name, t.Data, rows, cols, quantcore.Options{GroupSize: *group, ClipSearch: clip})
			if err != nil {
				return fmt.Errorf("%s: %w", *model, err)
			}
			c, err := quantcore.CheckErrorBound(t.Name, m, t.Data)
			if err != nil {
				return fmt.Errorf("%s: error bound violated: %w", *model, err)
			}
			inRange += len(t.Data) - c
			clipped += c
		}
	}
	if quantized == 0 {
		return fmt.Errorf("%s: no tensor with two or more dimensions to quantize (%d one-dimensional tensors)", *model, len(skipped))
	}
	fmt.Fprintln(tw, "\t\t\t\t\t\t\t")
	for i, f := range formats {
		st := totals[i]
		fmt.Fprintf(tw, "TOTAL (%d tensors)\t%d weights\t%s\t%.3f\t%.2f\t%.3e\t%.3e\t\n", quantized, st.N, f.Name(), bits[i]/float64(st.N), st.SQNR(), st.RelMSE(), st.MaxAbs)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "\nq35 error bound |w - dequant(quant(w))| <= scale/2: holds for all %d in-range weights (q35-g%d and q35-g%d-clip; %d weights clipped by clip search)\n",
		inRange, *group, *group, clipped)
	if len(skipped) > 0 {
		fmt.Fprintf(e.stdout, "kept in full precision (one-dimensional): %d tensors\n", len(skipped))
	}
	return nil
}
