package policy

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// modelHeader is the first line of a model file; the number after "v" is
// the format version, raised whenever the body changes meaning.
const (
	modelMagic = "leanprove learned-policy"
	// 2: alternative hypothesis fills and lemma-filled shapes (alt_weight, lemma_*);
	// 3: structural tactics, goal-shape and constant-slot features (rankFeatures weights).
	modelVersion = 3
)

// modelBody is what a model file holds after its header line. A k-NN model
// is its memory: the recorded states and tactics, plus the parameters and
// the fitted calibration. Load rebuilds the index from them.
type modelBody struct {
	Params      LearnedParams `json:"params"`
	Calibration calibration   `json:"calibration"`
	Ranker      []float64     `json:"ranker,omitempty"`
	Examples    []Example     `json:"examples"`
}

// Save writes the model to path atomically (a temporary file renamed over
// path), so a reader never sees half a model. Missing parent folders are
// created: a project keeps its model in .leanprove/, which may not exist.
func (l *Learned) Save(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("save model %s: %w", path, err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".model-*")
	if err != nil {
		return fmt.Errorf("save model: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := l.Write(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("save model %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("save model %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil { // CreateTemp makes it 0600
		return fmt.Errorf("save model %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("save model %s: %w", path, err)
	}
	return nil
}

// Write writes the model (header line and body) to w.
func (l *Learned) Write(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "%s v%d\n", modelMagic, modelVersion)
	if err := json.NewEncoder(bw).Encode(modelBody{Params: l.params, Calibration: l.calib, Ranker: l.ranker, Examples: l.examples}); err != nil {
		return err
	}
	return bw.Flush()
}

// LoadLearned reads a model written by Save.
func LoadLearned(path string) (*Learned, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load model: %w", err)
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return nil, fmt.Errorf("load model %s: a directory, want the model file that 'prove policy train --out FILE' wrote: %w", path, ErrModelFormat)
	}
	l, err := ReadLearned(f)
	if err != nil {
		return nil, fmt.Errorf("load model %s: %w", path, err)
	}
	return l, nil
}

// ReadLearned reads a model from r.
func ReadLearned(r io.Reader) (*Learned, error) {
	br := bufio.NewReader(r)
	header, err := br.ReadString('\n')
	if err != nil && header == "" {
		if !errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("read model: %w", err)
		}
		return nil, fmt.Errorf("%w: empty file", ErrModelFormat)
	}
	header = strings.TrimSpace(header)
	var version int
	if _, err := fmt.Sscanf(header, modelMagic+" v%d", &version); err != nil {
		return nil, fmt.Errorf("%w: header %q (train one with 'prove policy train')", ErrModelFormat, abbreviate(header))
	}
	if version != modelVersion {
		return nil, fmt.Errorf("%w: version %d, this build reads version %d (retrain the model)", ErrModelFormat, version, modelVersion)
	}
	var body modelBody
	if err := json.NewDecoder(br).Decode(&body); err != nil {
		return nil, fmt.Errorf("%w: body: %v", ErrModelFormat, err)
	}
	if n := len(body.Ranker); n != 0 && n != rankFeatures {
		return nil, fmt.Errorf("%w: %d ranking weights, this build uses %d (retrain the model)", ErrModelFormat, n, rankFeatures)
	}
	return build(body.Examples, body.Params.withDefaults(), body.Ranker, body.Calibration), nil
}

func abbreviate(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}
