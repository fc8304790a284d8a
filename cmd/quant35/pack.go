package main

import (
	"context"
	"fmt"
	"os"

	"github.com/leanprove/leanprove/quantcore"
)

func runPack(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "pack")
	model := fs.String("model", "", "safetensors or GGUF file to quantize")
	out := fs.String("out", "", "output container (Q35M format, see quantcore/container.go)")
	group := fs.Int("group", quantcore.DefaultGroupSize, "group size (even, divides every row)")
	clip := fs.Bool("clip-search", false, "search a clipping scale per group")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *model == "" || *out == "" {
		return usagef("--model and --out are required")
	}
	if *group <= 0 || *group%2 != 0 {
		return usagef("--group must be positive and even, got %d", *group)
	}
	tensors, err := quantcore.ReadWeights(ctx, *model)
	if err != nil {
		return err
	}
	var packed []quantcore.PackedTensor
	var weights, rawValues int
	var packedBits float64
	for _, t := range tensors {
		if err := ctx.Err(); err != nil {
			return err
		}
		rows, cols, ok := t.Matrix()
		if !ok {
			packed = append(packed, quantcore.PackedTensor{Name: t.Name, Shape: t.Shape, Raw: t.Data})
			rawValues += len(t.Data)
			continue
		}
		m, err := quantcore.QuantizeMatrix(t.Name, t.Data, rows, cols, quantcore.Options{GroupSize: *group, ClipSearch: *clip})
		if err != nil {
			return fmt.Errorf("%s: %w", *model, err)
		}
		if _, err := quantcore.CheckErrorBound(t.Name, m, t.Data); err != nil {
			return fmt.Errorf("%s: error bound violated: %w", *model, err)
		}
		packed = append(packed, quantcore.PackedTensor{Name: t.Name, Shape: t.Shape, M: m})
		weights += len(t.Data)
		packedBits += float64(32*len(m.Words) + 16*len(m.Scales))
	}
	if err := writeFile(*out, func(f *os.File) error { return quantcore.WriteContainer(f, packed) }); err != nil {
		return err
	}
	bpw := 0.0
	if weights > 0 {
		bpw = packedBits / float64(weights)
	}
	fmt.Fprintf(e.stdout, "packed %d weights in %d matrices at %.4f bits/weight (G=%d, clip search %v); %d values in %d tensors kept as float32; wrote %s\n",
		weights, len(packed)-countRaw(packed), bpw, *group, *clip, rawValues, countRaw(packed), *out)
	return nil
}

func countRaw(ts []quantcore.PackedTensor) int {
	n := 0
	for _, t := range ts {
		if t.M == nil {
			n++
		}
	}
	return n
}

func runUnpack(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "unpack")
	in := fs.String("in", "", "container written by quant35 pack")
	out := fs.String("out", "", "output safetensors file (F32)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *in == "" || *out == "" {
		return usagef("--in and --out are required")
	}
	f, err := os.Open(*in)
	if err != nil {
		return fmt.Errorf("unpack: %w", err)
	}
	packed, err := quantcore.ReadContainer(f)
	f.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", *in, err)
	}
	tensors := make([]quantcore.Tensor, 0, len(packed))
	for _, p := range packed {
		if err := ctx.Err(); err != nil {
			return err
		}
		t := quantcore.Tensor{Name: p.Name, Shape: p.Shape, DType: "F32", Data: p.Raw}
		if p.M != nil {
			t.Data = p.M.Dequantize()
		}
		tensors = append(tensors, t)
	}
	if err := writeFile(*out, func(f *os.File) error { return quantcore.WriteSafetensors(f, tensors) }); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "unpacked %d tensors to %s\n", len(tensors), *out)
	return nil
}

// writeFile creates path, lets write fill it and reports the first error,
// close included.
func writeFile(path string, write func(*os.File) error) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("close %s: %w", path, err)
	}
	return nil
}
