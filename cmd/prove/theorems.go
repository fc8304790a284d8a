package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/leanprove/leanprove/theorems"
)

// runTheorems is `prove theorems gen|check`: it regenerates the per-layer
// files of the theorem library, or checks the library statically and counts
// its declarations.
func runTheorems(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usagef("prove theorems: want a subcommand: gen [--out DIR] [--config FILE] | check [--dir DIR] [--json]")
	}
	switch args[0] {
	case "gen":
		return runTheoremsGen(ctx, e, args[1:])
	case "check":
		return runTheoremsCheck(e, args[1:])
	}
	return usagef("prove theorems: unknown subcommand %q (want gen or check)", args[0])
}

func runTheoremsGen(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "theorems gen")
	out := fs.String("out", "", "the Lake project root to write into (default: the repository's theorems/)")
	config := fs.String("config", "", "JSON configuration: {\"weights\": FILE, \"layers_per_file\": N} (default: LLaMA-70B shape, synthetic statistics)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	dir, err := theoremsDir(*out)
	if err != nil {
		return err
	}
	cfg := theorems.DefaultConfig()
	if *config != "" {
		if cfg, err = theorems.LoadConfig(*config); err != nil {
			return usagef("--config: %v", err)
		}
	}
	files, err := theorems.Generate(ctx, cfg)
	if err != nil {
		return err
	}
	if err := theorems.WriteFiles(dir, files); err != nil {
		return err
	}
	for _, f := range files {
		fmt.Fprintln(e.stdout, filepath.Join(dir, filepath.FromSlash(f.Path)))
	}
	e.log.Info().Int("files", len(files)).Str("dir", dir).Msg("theorem files written")
	return nil
}

func runTheoremsCheck(e *env, args []string) error {
	fs := newFlagSet(e, "theorems check")
	dirFlag := fs.String("dir", "", "the Lake project root (default: the repository's theorems/)")
	asJSON := fs.Bool("json", false, "print the counts as JSON")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	dir, err := theoremsDir(*dirFlag)
	if err != nil {
		return err
	}
	rep, err := theorems.Check(dir)
	nTheorems, nTargets, nDefs := rep.Count()
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if jerr := enc.Encode(map[string]int{
			"modules": len(rep.Modules), "theorems": nTheorems, "targets": nTargets,
			"proved": nTheorems - nTargets, "definitions": nDefs,
		}); jerr != nil {
			return jerr
		}
	} else {
		fmt.Fprintf(e.stdout, "%s: %d modules, %d theorems (%d targets `by sorry`, %d with proofs), %d definitions\n",
			dir, len(rep.Modules), nTheorems, nTargets, nTheorems-nTargets, nDefs)
	}
	if err != nil {
		return fmt.Errorf("check %s:\n%w", dir, err)
	}
	return nil
}

// theoremsDir is the flag's value, or else the theorems/ directory of the
// repository holding the working directory.
func theoremsDir(flagValue string) (string, error) {
	if flagValue != "" {
		return flagValue, nil
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for dir := wd; ; dir = filepath.Dir(dir) {
		if isLakeRoot(dir) {
			return dir, nil
		}
		if isLakeRoot(filepath.Join(dir, "theorems")) {
			return filepath.Join(dir, "theorems"), nil
		}
		if filepath.Dir(dir) == dir {
			return "", usagef("no theorems/lakefile.toml above %s: pass --out (or --dir) with the Lake project root", wd)
		}
	}
}

func isLakeRoot(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "lakefile.toml"))
	if err != nil {
		return false
	}
	_, err = os.Stat(filepath.Join(dir, "LeanProve.lean"))
	return !errors.Is(err, os.ErrNotExist) && err == nil
}
