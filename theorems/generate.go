package theorems

// Regenerate the per-layer Lean files from the default configuration
// (LLaMA-70B shape, synthetic statistics). `prove theorems gen` does the same
// with flags for another output directory or a configuration file.
//go:generate go run ./internal/gentheorems -out .
