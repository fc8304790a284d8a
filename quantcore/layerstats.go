package quantcore

import (
	"fmt"
	"math"
	"math/big"
)

// Per-layer constants of the Lean theorem library (theorems/, LeanProve).
//
// The Lean model of a transformer layer works in fixed point: activations
// and RMSNorm gains in units of 2^-8 (ActivationUnitBits), weight scales in
// units of 2^-24 (ScaleUnitBits: every fp16 value is an exact multiple of
// 2^-24), attention weights in units of 2^-16. A layer's constants are the
// largest gain of each norm and the largest stored scale of each projection,
// measured from a weight file (LayerMaximaFromTensors) or taken from
// documented synthetic statistics (SyntheticLayerMaxima); DeriveLayerBounds
// turns them into the worst-case bounds the per-layer theorems state. The
// arithmetic here must match LeanProve/Bounds.lean exactly: each bound is the
// ceiling the Lean lemma's hypothesis writes out.

const (
	// ActivationUnitBits: activations and gains are integers in units of 2^-8.
	ActivationUnitBits = 8
	// ScaleUnitBits: scales are integers in units of 2^-24.
	ScaleUnitBits = 24
	// SoftmaxUnitBits: attention weights are integers in units of 2^-16.
	SoftmaxUnitBits = 16
)

// ModelShape is the shape of a LLaMA-style decoder.
type ModelShape struct {
	Layers  int `json:"layers"`
	DModel  int `json:"d_model"`
	Heads   int `json:"heads"`
	KVHeads int `json:"kv_heads"`
	FFN     int `json:"ffn"`
}

// Llama70BShape is the shape the Lean library is written for.
func Llama70BShape() ModelShape {
	return ModelShape{Layers: 80, DModel: 8192, Heads: 64, KVHeads: 8, FFN: 28672}
}

// HeadDim is d_model / heads.
func (s ModelShape) HeadDim() int { return s.DModel / s.Heads }

// KVDim is the width of the key and value projections.
func (s ModelShape) KVDim() int { return s.KVHeads * s.HeadDim() }

// Validate reports a shape that cannot describe a model.
func (s ModelShape) Validate() error {
	if s.Layers <= 0 || s.DModel <= 0 || s.Heads <= 0 || s.KVHeads <= 0 || s.FFN <= 0 {
		return fmt.Errorf("%w: model shape %+v: every size must be positive", ErrShape, s)
	}
	if s.DModel%s.Heads != 0 || s.Heads%s.KVHeads != 0 {
		return fmt.Errorf("%w: model shape %+v: heads must divide d_model and kv_heads must divide heads", ErrShape, s)
	}
	return nil
}

// LayerMaxima are the measured magnitudes of one layer: the largest |γ| of
// each RMSNorm and the largest |w| of each projection the bounds use (the
// query and key projections only shape the attention weights, which the
// theorems quantify over).
type LayerMaxima struct {
	AttnNorm, FFNNorm float64
	Value, Output     float64
	Gate, Up, Down    float64
}

// SyntheticLayerMaxima returns deterministic statistics for layer l of a
// LLaMA-70B-shaped model, used when no weight file is given. They are not
// measurements: they are simple functions of depth with the magnitudes
// typical of LLaMA-2-70B checkpoints (norm gains growing with depth from
// about 0.3 to 0.8 and 0.4 to 1.0; projection weights up to about 0.05–0.3),
// with a ripple so that layers differ. They are computed in integers and are
// exact binary fractions, so every platform derives the same constants:
//
//	ripple(k) = ((7·l + 3·k) mod 11) − 5                  (−5 … 5)
//	γ_attn    = (77 + ⌊128·l/(L−1)⌋ + 3·ripple(0)) / 2^8
//	γ_ffn     = (102 + ⌊154·l/(L−1)⌋ + 3·ripple(1)) / 2^8
//	w_v    = (5243 + 300·ripple(2)) / 2^16     w_o  = (16384 + 900·ripple(3)) / 2^16
//	w_gate = (7864 + 400·ripple(4)) / 2^16     w_up = (6554 + 350·ripple(5)) / 2^16
//	w_down = (13107 + 700·ripple(6)) / 2^16
func SyntheticLayerMaxima(shape ModelShape, l int) LayerMaxima {
	depth := func(span int) int {
		if shape.Layers <= 1 {
			return 0
		}
		return span * l / (shape.Layers - 1)
	}
	ripple := func(k int) int { return (7*l+3*k)%11 - 5 }
	gain := func(units int) float64 { return math.Ldexp(float64(units), -ActivationUnitBits) }
	weight := func(units int) float64 { return math.Ldexp(float64(units), -16) }
	return LayerMaxima{
		AttnNorm: gain(77 + depth(128) + 3*ripple(0)),
		FFNNorm:  gain(102 + depth(154) + 3*ripple(1)),
		Value:    weight(5243 + 300*ripple(2)),
		Output:   weight(16384 + 900*ripple(3)),
		Gate:     weight(7864 + 400*ripple(4)),
		Up:       weight(6554 + 350*ripple(5)),
		Down:     weight(13107 + 700*ripple(6)),
	}
}

// SyntheticEmbeddingMax is the synthetic largest |embedding| entry (an exact
// binary fraction, 0.1 rounded up to 2^-8 units).
const SyntheticEmbeddingMax = 26.0 / 256

// tensorNames lists, for each statistic, the tensor names of a layer in the
// Hugging Face (safetensors) and llama.cpp (GGUF) conventions.
var tensorNames = []struct {
	field    func(*LayerMaxima) *float64
	hf, gguf string
}{
	{func(m *LayerMaxima) *float64 { return &m.AttnNorm }, "model.layers.%d.input_layernorm.weight", "blk.%d.attn_norm.weight"},
	{func(m *LayerMaxima) *float64 { return &m.FFNNorm }, "model.layers.%d.post_attention_layernorm.weight", "blk.%d.ffn_norm.weight"},
	{func(m *LayerMaxima) *float64 { return &m.Value }, "model.layers.%d.self_attn.v_proj.weight", "blk.%d.attn_v.weight"},
	{func(m *LayerMaxima) *float64 { return &m.Output }, "model.layers.%d.self_attn.o_proj.weight", "blk.%d.attn_output.weight"},
	{func(m *LayerMaxima) *float64 { return &m.Gate }, "model.layers.%d.mlp.gate_proj.weight", "blk.%d.ffn_gate.weight"},
	{func(m *LayerMaxima) *float64 { return &m.Up }, "model.layers.%d.mlp.up_proj.weight", "blk.%d.ffn_up.weight"},
	{func(m *LayerMaxima) *float64 { return &m.Down }, "model.layers.%d.mlp.down_proj.weight", "blk.%d.ffn_down.weight"},
}

var embeddingNames = []string{"model.embed_tokens.weight", "token_embd.weight"}

// LayerMaximaFromTensors measures every layer's maxima (and the largest
// embedding entry) from the tensors of a weight file (ReadWeights). Tensor
// names may follow the Hugging Face or the GGUF convention; a missing tensor
// or a non-finite value is an error naming it.
func LayerMaximaFromTensors(tensors []Tensor, shape ModelShape) ([]LayerMaxima, float64, error) {
	byName := make(map[string]*Tensor, len(tensors))
	for i := range tensors {
		byName[tensors[i].Name] = &tensors[i]
	}
	find := func(names ...string) (*Tensor, error) {
		for _, n := range names {
			if t, ok := byName[n]; ok {
				return t, nil
			}
		}
		return nil, fmt.Errorf("%w: no tensor named %q (or %q) in the weight file", ErrFormat, names[0], names[len(names)-1])
	}
	emb, err := find(embeddingNames...)
	if err != nil {
		return nil, 0, err
	}
	embMax, err := tensorMaxAbs(emb)
	if err != nil {
		return nil, 0, err
	}
	out := make([]LayerMaxima, shape.Layers)
	for l := range out {
		for _, tn := range tensorNames {
			t, err := find(fmt.Sprintf(tn.hf, l), fmt.Sprintf(tn.gguf, l))
			if err != nil {
				return nil, 0, fmt.Errorf("layer %d: %w", l, err)
			}
			m, err := tensorMaxAbs(t)
			if err != nil {
				return nil, 0, err
			}
			*tn.field(&out[l]) = m
		}
	}
	return out, embMax, nil
}

func tensorMaxAbs(t *Tensor) (float64, error) {
	m := 0.0
	for i, v := range t.Data {
		f := float64(v)
		if math.IsNaN(f) || math.IsInf(f, 0) {
			return 0, fmt.Errorf("tensor %q: %w at index %d", t.Name, ErrNonFinite, i)
		}
		m = max(m, math.Abs(f))
	}
	return m, nil
}

// LayerBounds are the integer constants of one layer's theorems, in the
// units above. The inputs (gains, scales) come from LayerMaxima; the rest
// are the ceilings that LeanProve/Bounds.lean's lemmas take as hypotheses.
type LayerBounds struct {
	Layer int
	// GAttn, GFFN: ⌈max|γ| · 2^8⌉ of the two norms.
	GAttn, GFFN *big.Int
	// UAttn, UFFN: the norms' output bounds, G · K with K = ⌈√d_model⌉.
	UAttn, UFFN *big.Int
	// SV, SO, SG, SU, SD: the largest stored scale of each projection in
	// units of 2^-24: GroupScale(max|w|) (fp16 rounding up is monotone, so
	// this is the largest of the groups' scales).
	SV, SO, SG, SU, SD *big.Int
	// Value = ⌈d·5·SV·UAttn / 2^24⌉, Attn = ⌈d·5·SO·Value / 2^24⌉.
	Value, Attn *big.Int
	// Gate = ⌈d·5·SG·UFFN / 2^24⌉, Up = ⌈d·5·SU·UFFN / 2^24⌉,
	// Hidden = ⌈Gate·Up / 2^8⌉, FFN = ⌈ffn·5·SD·Hidden / 2^24⌉.
	Gate, Up, Hidden, FFN *big.Int
	// ResidIn bounds the residual stream entering the layer and ResidOut
	// = ResidIn + Attn + FFN the stream leaving it.
	ResidIn, ResidOut *big.Int
}

// CeilSqrt is the smallest K ≥ 0 with K·K ≥ n.
func CeilSqrt(n int) int64 {
	k := int64(math.Sqrt(float64(n)))
	for k*k < int64(n) {
		k++
	}
	for k > 0 && (k-1)*(k-1) >= int64(n) {
		k--
	}
	return k
}

// ceilDiv is ⌈a / b⌉ for a ≥ 0, b > 0 (the Lean hypotheses write it as
// (a + b - 1) / b with floor division).
func ceilDiv(a *big.Int, b int64) *big.Int {
	q := new(big.Int).Add(a, big.NewInt(b-1))
	return q.Div(q, big.NewInt(b))
}

// projBound is ⌈n · 5 · S · B / 2^24⌉, the bound of one output of a
// projection of length n (LeanProve qrow_bound).
func projBound(n int, s, b *big.Int) *big.Int {
	x := new(big.Int).Mul(big.NewInt(int64(n)*5), s)
	x.Mul(x, b)
	return ceilDiv(x, 1<<ScaleUnitBits)
}

// fixedCeil is ⌈v · 2^bits⌉ for finite v ≥ 0.
func fixedCeil(v float64, bits int) *big.Int {
	f := new(big.Float).SetFloat64(math.Ldexp(v, bits))
	i, acc := f.Int(nil)
	if acc == big.Below {
		i.Add(i, big.NewInt(1))
	}
	return i
}

// scaleUnits is the fp16 scale GroupScale(maxAbs) in units of 2^-24.
func scaleUnits(name string, maxAbs float64) (*big.Int, error) {
	h, ok := GroupScale(float32(maxAbs))
	if !ok {
		return nil, fmt.Errorf("%s: %w (max|w| = %g)", name, ErrScaleOverflow, maxAbs)
	}
	// Exact: an fp16 value times 2^24 is an integer below 2^40.
	return big.NewInt(int64(math.Ldexp(F16ToFloat64(h), ScaleUnitBits))), nil
}

// DeriveLayerBounds computes every layer's constants from its maxima and
// the largest embedding entry (which bounds the residual stream entering
// layer 0: ResidIn of layer 0 is ⌈embMax · 2^8⌉).
func DeriveLayerBounds(shape ModelShape, maxima []LayerMaxima, embMax float64) ([]LayerBounds, error) {
	if err := shape.Validate(); err != nil {
		return nil, err
	}
	if len(maxima) != shape.Layers {
		return nil, fmt.Errorf("%w: %d layers of statistics for a %d-layer model", ErrShape, len(maxima), shape.Layers)
	}
	if !(embMax >= 0) || math.IsInf(embMax, 0) {
		return nil, fmt.Errorf("embedding maximum %g: %w", embMax, ErrNonFinite)
	}
	k := big.NewInt(CeilSqrt(shape.DModel))
	resid := fixedCeil(embMax, ActivationUnitBits)
	out := make([]LayerBounds, len(maxima))
	for l, m := range maxima {
		for _, v := range []float64{m.AttnNorm, m.FFNNorm, m.Value, m.Output, m.Gate, m.Up, m.Down} {
			if !(v >= 0) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("layer %d: statistic %g: %w (maxima must be finite and ≥ 0)", l, v, ErrNonFinite)
			}
		}
		b := LayerBounds{Layer: l, GAttn: fixedCeil(m.AttnNorm, ActivationUnitBits), GFFN: fixedCeil(m.FFNNorm, ActivationUnitBits)}
		var err error
		scales := []struct {
			dst  **big.Int
			name string
			v    float64
		}{{&b.SV, "value", m.Value}, {&b.SO, "output", m.Output}, {&b.SG, "gate", m.Gate}, {&b.SU, "up", m.Up}, {&b.SD, "down", m.Down}}
		for _, s := range scales {
			if *s.dst, err = scaleUnits(fmt.Sprintf("layer %d %s projection", l, s.name), s.v); err != nil {
				return nil, err
			}
		}
		b.UAttn = new(big.Int).Mul(b.GAttn, k)
		b.UFFN = new(big.Int).Mul(b.GFFN, k)
		b.Value = projBound(shape.DModel, b.SV, b.UAttn)
		b.Attn = projBound(shape.DModel, b.SO, b.Value)
		b.Gate = projBound(shape.DModel, b.SG, b.UFFN)
		b.Up = projBound(shape.DModel, b.SU, b.UFFN)
		b.Hidden = ceilDiv(new(big.Int).Mul(b.Gate, b.Up), 1<<ActivationUnitBits)
		b.FFN = projBound(shape.FFN, b.SD, b.Hidden)
		b.ResidIn = new(big.Int).Set(resid)
		resid = new(big.Int).Add(resid, b.Attn)
		resid.Add(resid, b.FFN)
		b.ResidOut = new(big.Int).Set(resid)
		out[l] = b
	}
	return out, nil
}
