#!/usr/bin/env bash
# make setup: fetch Go modules and, where the network allows, a Lean toolchain.
# It never fails because Lean is missing; it says what is missing and what
# still works without it.
set -u
cd "$(dirname "$0")/.."

echo "== Go modules"
go mod download || { echo "setup: 'go mod download' failed: is the Go module proxy reachable?" >&2; exit 1; }

echo "== Lean toolchain (elan)"
export PATH="$HOME/.elan/bin:$PATH"
if command -v lake >/dev/null 2>&1; then
	echo "lake found: $(command -v lake)"
else
	if ! command -v elan >/dev/null 2>&1; then
		echo "elan not found; trying to install it (needs access to GitHub)..."
		if command -v curl >/dev/null 2>&1 &&
			curl -sSfL --max-time 30 https://raw.githubusercontent.com/leanprover/elan/master/elan-init.sh -o /tmp/elan-init.sh &&
			sh /tmp/elan-init.sh -y --default-toolchain none >/dev/null; then
			echo "elan installed in ~/.elan/bin"
		fi
	fi
	if command -v elan >/dev/null 2>&1 && [ -f theorems/lean-toolchain ]; then
		(cd theorems && timeout 600 elan toolchain install "$(cat lean-toolchain)") ||
			echo "setup: elan could not download $(cat theorems/lean-toolchain)."
	fi
fi

if command -v lake >/dev/null 2>&1; then
	echo "Lean is ready: 'prove --theorem NAME' can run against real Lean."
else
	cat <<'MSG'
MISSING: a Lean 4 toolchain (lake, lean). It could not be installed from here.
  Install it by hand from a machine with internet access:
    curl https://raw.githubusercontent.com/leanprover/elan/master/elan-init.sh -sSf | sh
  then open a new shell (elan puts lake on PATH via ~/.elan/bin).
What works without Lean: 'make test' (it uses a fake Lean server and recorded
Mathlib traces), 'prove bench', 'prove policy', 'prove corpus', and quant35.
MSG
fi
