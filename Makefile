# leanprove. `make setup` once, then `make test`.
SHELL   := /bin/bash
GO      ?= go
PKGS    ?= ./...
BIN     := bin

.PHONY: setup build test test-short bench lint fmt vet hip clean

setup:
	@bash scripts/setup.sh

build:
	$(GO) build -o $(BIN)/ ./cmd/...

# The whole suite, with the race detector: the search, the Lean client and the
# batch runner are concurrent. The summary names every skipped test and why
# (no lake on PATH, no ../shared data, no GPU); the full log is in test.log.
test:
	$(GO) vet $(PKGS)
	@set -o pipefail; $(GO) test -race -count=1 -v $(PKGS) 2>&1 | tee test.log | \
		awk '/^(ok|FAIL|\?) /{print; next} /^--- SKIP/{print "  skipped: " $$3 " -" prev; next} /^--- FAIL/{print; next} {prev=$$0}' \
		|| { echo "tests failed; see test.log"; exit 1; }

test-short:
	$(GO) test -short $(PKGS)

# Benchmarks; compare runs with benchstat (go run golang.org/x/perf/cmd/benchstat@latest old.txt new.txt).
bench:
	$(GO) test -run='^$$' -bench=. -benchmem $(PKGS)

lint: vet
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet $(PKGS)

fmt:
	gofmt -w $$(git ls-files '*.go')

# Compiles the HIP kernels for gfx90a, gfx908 and gfx940 (installing Debian's
# hipcc first when it is missing; that needs root) and prints registers and
# spills per kernel; builds hip/bench. No GPU is needed to compile.
hip:
	bash hip/build.sh

clean:
	rm -rf $(BIN) hip/build hip/bench
