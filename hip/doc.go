// Package hip holds the GPU kernels of the 3.5-bit weight format of package quantcore, the
// tools that build and check them without a GPU, and the host programs that measure them on one.
//
// # Kernels (hip/kernels)
//
// q35_gemv.hip is the batch-1 GEMV and the activation quantizer; q35_gemm.hip the small-batch
// GEMM (batch up to 32). Both compute exactly quantcore.GEMVInt / GEMMInt, bit for bit: int8
// activations, exact int32 dot products per group (v_dot4_i32_i8 on gfx908/gfx90a/gfx940,
// __dp4a on NVIDIA), one float multiply by the group's fp16 scale, and the fixed float
// reduction order of the format (lane l of 64 sums groups l, l+64, ... in order, then a
// butterfly over xor 32..1, then one multiply by sx). One 64-lane row team per row, four rows
// per block; the packed words of each chunk of 64 groups are loaded with coalesced loads into
// LDS and each lane decodes its own group from there. The GEMM decodes each group once for all
// batch columns; activations are stored interleaved across the batch (q35_format.h) so each
// lane's loads are contiguous 16-byte reads at constant offsets. The kernels are written for
// gfx90a (wavefront 64) first; on a 32-wide NVIDIA warp the xor-32 butterfly step goes through
// LDS and gives the same adds in the same order.
//
// One source builds three ways through kernels/q35_port.h: hipcc (AMD), nvcc (NVIDIA) and a
// plain C++20 compiler with kernels/q35_cpu_emu.h, which runs each work item as a std::thread,
// __syncthreads as a std::barrier and wavefront shuffles through a per-block buffer. No float
// multiply-add may be contracted: build.sh passes -ffp-contract=off and checks the gfx code
// objects for fused multiply-adds; the CUDA build uses --fmad=false and __fmul_rn/__fadd_rn.
//
// # Build and checks
//
// `make hip` runs build.sh: it installs Debian's hipcc when missing, compiles the kernels for
// gfx90a, gfx908 and gfx940, prints registers, spills, LDS and scratch per kernel from the code
// objects, and builds hip/bench and hip/build/libq35hip.a. `bash hip/build.sh --cuda` builds
// hip/bench with nvcc instead (README.md has the exact command).
//
// The Go side: BuildEmulator compiles the embedded kernel sources for the CPU (g++), and
// Emulator.Run executes them over quantcore test vectors (the Q35V file of quantcore, also
// written by `quant35 vectors`); Mismatches compares the result with quantcore bit for bit.
// The tests run this for emulated wavefronts of 64 (the gfx90a path) and 32 (the NVIDIA path)
// and skip with a message when g++ is missing.
//
// Device is the cgo binding to the real kernels, built only with the `hip` build tag (after
// `make hip`, which produces the static library it links); without the tag, Open returns
// ErrNoDevice so that the module builds and tests anywhere.
package hip
