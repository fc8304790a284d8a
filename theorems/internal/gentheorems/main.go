// Command gentheorems regenerates the per-layer Lean files of the theorem
// library; `go generate ./theorems` runs it. It is `prove theorems gen`
// without the rest of the prove command.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/leanprove/leanprove/theorems"
)

func main() {
	out := flag.String("out", ".", "the Lake project root to write into")
	config := flag.String("config", "", "JSON configuration (default: LLaMA-70B shape, synthetic statistics)")
	flag.Parse()
	cfg := theorems.DefaultConfig()
	if *config != "" {
		var err error
		if cfg, err = theorems.LoadConfig(*config); err != nil {
			fmt.Fprintln(os.Stderr, "gentheorems:", err)
			os.Exit(2)
		}
	}
	files, err := theorems.Generate(context.Background(), cfg)
	if err == nil {
		err = theorems.WriteFiles(*out, files)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "gentheorems:", err)
		os.Exit(1)
	}
}
