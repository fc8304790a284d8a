// Package theorems is the project's Lean theorem library and its generator.
//
// The directory is two things at once. It is a Lake project (lakefile.toml,
// lean-toolchain, LeanProve.lean and LeanProve/*.lean) on core Lean 4 only:
// the integer model of quantcore's 3.5-bit format and integer-accumulate
// kernel, the eight quantization theorems, the generic bound lemmas, four
// theorems for each of the 80 layers of a LLaMA-70B-shaped model, and
// llama_model_bounded, their composition. The theorems the prover is meant
// to discharge end in `:= by sorry`. See README.md for each theorem in words.
//
// It is also this Go package, which writes the generated part of that
// project: LeanProve/Layers.lean (the index), LeanProve/Layers/Table.lean (the
// per-layer constants as Lean tables) and LeanProve/Layers/L00.lean … L70.lean
// (the per-layer theorems, ten layers a file). Generate derives the constants
// with quantcore (DeriveLayerBounds) from a weight file when the Config names
// one, from quantcore's documented synthetic statistics otherwise, and renders
// the files deterministically; `prove theorems gen` and `go generate
// ./theorems` call it.
//
// No Lean runs where this package is tested, so Check verifies what can be
// verified without Lean: the toolchain pin, that the lakefile's library roots
// exist and import every module, that every import names a project module,
// that declaration names are unique, that delimiters and comments balance,
// that `sorry` appears only as the whole body (`by sorry`) of a theorem and
// never in a definition, and it counts the declarations.
package theorems
