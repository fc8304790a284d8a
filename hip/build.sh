#!/usr/bin/env bash
# hip/build.sh: build and inspect the 3.5-bit kernels (`make hip` runs this).
#
#   bash hip/build.sh          AMD: install Debian's hipcc when missing (root), compile the
#                              kernels for gfx90a, gfx908 and gfx940, print registers and spills
#                              per kernel from the code objects, check the float reduction has
#                              no fused multiply-adds, build hip/bench and hip/build/libq35hip.a.
#   bash hip/build.sh --cuda   NVIDIA: build hip/bench with nvcc (CUDA_ARCH, default sm_90).
#
# Environment: Q35_TARGETS overrides the AMD target list; HIPCC and NVCC the compilers.
# Outputs go to hip/build/ and hip/bench (both ignored by git).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/build"
mkdir -p "$out"
kern="$here/kernels"
sources=("$kern/q35_gemv.hip" "$kern/q35_gemm.hip")
flags=(-O3 -std=c++17 -ffp-contract=off -I"$kern")

if [[ "${1:-}" == "--cuda" ]]; then
  nvcc="${NVCC:-nvcc}"
  arch="${CUDA_ARCH:-sm_90}"
  command -v "$nvcc" >/dev/null || { echo "hip/build.sh: nvcc not found (set NVCC or install the CUDA toolkit)" >&2; exit 1; }
  set -x
  "$nvcc" -O3 -std=c++17 -arch="$arch" --fmad=false -Xcompiler -ffp-contract=off -I"$kern" \
    -x cu "${sources[@]}" "$kern/q35_host.cpp" "$here/benchmark/q35_bench.cpp" -o "$here/bench"
  "$nvcc" -O3 -std=c++17 -arch="$arch" --fmad=false -I"$kern" --resource-usage -c -x cu "${sources[@]}" -odir "$out" 2>&1 | grep -E 'Function properties|registers|spill|Compiling entry' || true
  exit 0
fi

hipcc="${HIPCC:-hipcc}"
if ! command -v "$hipcc" >/dev/null; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "hip/build.sh: hipcc is missing; install it as root: apt-get update && apt-get install -y hipcc libamdhip64-dev rocm-device-libs" >&2
    exit 1
  fi
  echo "hip/build.sh: installing Debian's hipcc (about 650 MiB)"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q hipcc libamdhip64-dev rocm-device-libs
fi
# The LLVM that Debian's hipcc uses (clang-15 on bookworm); LLVM_BIN overrides.
llvm="${LLVM_BIN:-}"
if [[ -z "$llvm" ]]; then
  for v in 15 16 17 18 19; do
    [[ -x "/usr/lib/llvm-$v/bin/clang-offload-bundler" ]] && { llvm="/usr/lib/llvm-$v/bin"; break; }
  done
fi
[[ -n "$llvm" ]] || { echo "hip/build.sh: no /usr/lib/llvm-*/bin/clang-offload-bundler (comes with Debian's hipcc); set LLVM_BIN" >&2; exit 1; }
for tool in clang-offload-bundler llvm-readelf llvm-objdump llvm-cxxfilt; do
  [[ -x "$llvm/$tool" ]] || { echo "hip/build.sh: $llvm/$tool missing (comes with Debian's hipcc)" >&2; exit 1; }
done

# Every hipcc call names its targets: without --offload-arch hipcc runs rocm_agent_enumerator,
# which prints a (harmless) Python traceback on a machine without /sys/class/kfd, and defaults
# to gfx803.

targets=(${Q35_TARGETS:-gfx90a gfx908 gfx940})
status=0
printf '%-7s %-34s %5s %5s %5s %6s %6s %7s %7s\n' target kernel vgpr agpr sgpr vspill sspill lds_B scratch
for t in "${targets[@]}"; do
  for src in "${sources[@]}"; do
    base="$(basename "$src" .hip)"
    co="$out/$base.$t.co"
    elf="$out/$base.$t.elf"
    if ! "$hipcc" --genco --offload-arch="$t" "${flags[@]}" "$src" -o "$co"; then
      echo "$t $base: COMPILE FAILED" >&2
      status=1
      continue
    fi
    "$llvm/clang-offload-bundler" --unbundle --type=o --targets="hipv4-amdgcn-amd-amdhsa--$t" --input="$co" --output="$elf"
    "$llvm/llvm-readelf" --notes "$elf" | awk -v t="$t" -v filt="$llvm/llvm-cxxfilt" '
      function flush() {
        if (name == "") return
        cmd = filt " " name; cmd | getline pretty; close(cmd)
        sub(/\(.*/, "", pretty)
        printf "%-7s %-34s %5s %5s %5s %6s %6s %7s %7s\n", t, pretty, f["vgpr_count"], f["agpr_count"], f["sgpr_count"], f["vgpr_spill_count"], f["sgpr_spill_count"], f["group_segment_fixed_size"], f["private_segment_fixed_size"]
        if (f["vgpr_spill_count"] + f["sgpr_spill_count"] + f["private_segment_fixed_size"] > 0) spills = 1
        name = ""; delete f
      }
      /^  - \./ { flush() }
      /^  - \.|^    \./ {
        line = $0; sub(/^  - |^    /, "", line)
        split(line, kv, /:[ \t]+/); key = kv[1]; sub(/^\./, "", key)
        if (key == "name") name = kv[2]; else f[key] = kv[2]
      }
      END { flush(); exit spills }' || { echo "$t $base: SPILLS or scratch use (see table)" >&2; status=1; }
    # The format fixes one rounding per float multiply and add: no fused multiply-add may appear
    # in the GEMV/GEMM kernels (quantize_x legitimately uses FMAs inside its division).
    fused=$("$llvm/llvm-objdump" -d --mcpu="$t" "$elf" | awk '
      /^[0-9a-f]+ <.*>:$/ { ingemx = ($0 ~ /q35_gem[mv]_kernel/) }
      ingemx && /v_(pk_)?(fma|fmac|mac|mad)[a-z_0-9]*_f32/ { n++ }
      END { print n + 0 }')
    if [[ "$fused" != 0 ]]; then
      echo "$t $base: $fused fused float multiply-adds in the GEMV/GEMM kernels (breaks bit-exactness)" >&2
      status=1
    fi
  done
done

# The CUDA path without the CUDA toolkit: clang's CUDA mode against a declaration-only
# cuda_runtime.h (hip/cudacheck); device pass for sm_80 (clang-15 does not know sm_90).
clang="$llvm/clang++"
for src in "${sources[@]}" "$kern/q35_host.cpp" "$here/benchmark/q35_bench.cpp"; do
  if ! "$clang" -x cuda --cuda-gpu-arch=sm_80 -nocudainc -nocudalib -std=c++17 -fsyntax-only -Wall \
      -D__CUDACC__ -I"$here/cudacheck" -I"$kern" "$src"; then
    echo "$(basename "$src"): CUDA path does not compile (clang -x cuda check)" >&2
    status=1
  fi
done
echo "CUDA path: syntax and types checked with clang -x cuda (sm_80); build with nvcc via --cuda"

# Fat binaries: the benchmark and the static library for the Go binding (build tag `hip`).
arch_flags=()
for t in "${targets[@]}"; do arch_flags+=(--offload-arch="$t"); done
"$hipcc" "${arch_flags[@]}" "${flags[@]}" -fPIC -c "${sources[@]}" "$kern/q35_host.cpp"
mv q35_gemv.o q35_gemm.o q35_host.o "$out/"
ar rcs "$out/libq35hip.a" "$out/q35_gemv.o" "$out/q35_gemm.o" "$out/q35_host.o"
"$hipcc" "${arch_flags[@]}" "${flags[@]}" "$out/q35_gemv.o" "$out/q35_gemm.o" "$out/q35_host.o" \
  "$here/benchmark/q35_bench.cpp" -o "$here/bench"
echo "built: hip/bench and hip/build/libq35hip.a for ${targets[*]}"
if [[ $status -ne 0 ]]; then
  echo "hip/build.sh: FAILED (see above)" >&2
fi
exit $status
