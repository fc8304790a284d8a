package theorems

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/leanprove/leanprove/quantcore"
)

// Config says what the generator models and where its statistics come from.
type Config struct {
	// Shape must be quantcore.Llama70BShape(): LeanProve/Bounds.lean and
	// Model.lean fix d_model 8192, 64 heads, 8 KV heads, FFN 28672, 80 layers.
	Shape quantcore.ModelShape `json:"shape"`
	// Weights is a safetensors or GGUF file to measure the per-layer maxima
	// from; empty means quantcore's synthetic statistics. A relative path is
	// relative to the configuration file.
	Weights string `json:"weights,omitempty"`
	// LayersPerFile is how many layers each generated file holds (default 10).
	LayersPerFile int `json:"layers_per_file,omitempty"`
}

// DefaultConfig is the configuration the committed files are generated from.
func DefaultConfig() Config {
	return Config{Shape: quantcore.Llama70BShape(), LayersPerFile: 10}
}

// LoadConfig reads a JSON configuration; fields it leaves out keep their
// DefaultConfig values.
func LoadConfig(path string) (Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Config{}, fmt.Errorf("read config: %w", err)
	}
	cfg := DefaultConfig()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		return Config{}, fmt.Errorf("%s: %w: %v (expected {\"shape\": {...}, \"weights\": FILE, \"layers_per_file\": N})", path, ErrConfig, err)
	}
	if cfg.Weights != "" && !filepath.IsAbs(cfg.Weights) {
		cfg.Weights = filepath.Join(filepath.Dir(path), cfg.Weights)
	}
	if err := cfg.Validate(); err != nil {
		return Config{}, fmt.Errorf("%s: %w", path, err)
	}
	return cfg, nil
}

// Validate reports a configuration the generator cannot honour.
func (c Config) Validate() error {
	if c.Shape != quantcore.Llama70BShape() {
		return fmt.Errorf("%w: shape %+v: the Lean model (LeanProve/Bounds.lean, Model.lean) is written for %+v; only the statistics may change",
			ErrConfig, c.Shape, quantcore.Llama70BShape())
	}
	if c.LayersPerFile <= 0 || c.LayersPerFile > c.Shape.Layers {
		return fmt.Errorf("%w: layers_per_file %d: must be between 1 and %d", ErrConfig, c.LayersPerFile, c.Shape.Layers)
	}
	return nil
}
