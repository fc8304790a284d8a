// q35_port.h: one kernel source, three compilers.
//
//   hipcc (AMD, the primary target, wavefront 64)   -> <hip/hip_runtime.h>
//   nvcc  (NVIDIA, warp 32)                          -> <cuda_runtime.h>
//   g++/clang++ with -DQ35_CPU_EMULATION             -> q35_cpu_emu.h (threads for work items)
//
// The kernels use only what this header names: threadIdx/blockIdx/blockDim, __shared__,
// __syncthreads, q35_shfl_xor, q35_dot4, q35_fmul/q35_fadd, Q35_LAUNCH and the q35Xxx runtime
// aliases. Anything else would break one of the three builds.
#pragma once

#include <stdint.h>

// Logical lanes per row team. The reduction order of the format is defined over 64 lanes
// (helpers/quantspec.md), whatever the hardware wavefront is.
#define Q35_LANES 64

#if defined(Q35_CPU_EMULATION)
#include "q35_cpu_emu.h"
// Q35_HW_WAVE comes from q35_cpu_emu.h (64 by default, 32 to exercise the NVIDIA path).
#elif defined(__CUDACC__)
#include <cuda_runtime.h>
#define Q35_HW_WAVE 32
typedef cudaStream_t q35Stream;
typedef cudaError_t q35Error;
typedef cudaEvent_t q35Event;
#define q35Success cudaSuccess
#define q35Malloc cudaMalloc
#define q35Free cudaFree
#define q35Memcpy cudaMemcpy
#define q35Memset cudaMemset
#define q35MemcpyHostToDevice cudaMemcpyHostToDevice
#define q35MemcpyDeviceToHost cudaMemcpyDeviceToHost
#define q35MemcpyDeviceToDevice cudaMemcpyDeviceToDevice
#define q35DeviceSynchronize cudaDeviceSynchronize
#define q35GetLastError cudaGetLastError
#define q35GetErrorString cudaGetErrorString
#define q35GetDeviceCount cudaGetDeviceCount
#define q35EventCreate cudaEventCreate
#define q35EventRecord cudaEventRecord
#define q35EventSynchronize cudaEventSynchronize
#define q35EventElapsedTime cudaEventElapsedTime
#define q35EventDestroy cudaEventDestroy
#define q35DeviceProp cudaDeviceProp
#define q35GetDeviceProperties cudaGetDeviceProperties
#define q35DeviceGetAttribute cudaDeviceGetAttribute
#define q35MemGetInfo cudaMemGetInfo
#define Q35_ATTR_MEMORY_CLOCK_KHZ cudaDevAttrMemoryClockRate
#define Q35_ATTR_MEMORY_BUS_BITS cudaDevAttrGlobalMemoryBusWidth
#define Q35_ATTR_L2_BYTES cudaDevAttrL2CacheSize
#define Q35_PLATFORM "cuda"
#else
#include <hip/hip_runtime.h>
// gfx9 (gfx908/gfx90a/gfx940) runs wave64; RDNA (gfx10/gfx11) defaults to wave32.
#if defined(__AMDGCN_WAVEFRONT_SIZE)
#define Q35_HW_WAVE __AMDGCN_WAVEFRONT_SIZE
#else
#define Q35_HW_WAVE 64
#endif
typedef hipStream_t q35Stream;
typedef hipError_t q35Error;
typedef hipEvent_t q35Event;
#define q35Success hipSuccess
#define q35Malloc hipMalloc
#define q35Free hipFree
#define q35Memcpy hipMemcpy
#define q35Memset hipMemset
#define q35MemcpyHostToDevice hipMemcpyHostToDevice
#define q35MemcpyDeviceToHost hipMemcpyDeviceToHost
#define q35MemcpyDeviceToDevice hipMemcpyDeviceToDevice
#define q35DeviceSynchronize hipDeviceSynchronize
#define q35GetLastError hipGetLastError
#define q35GetErrorString hipGetErrorString
#define q35GetDeviceCount hipGetDeviceCount
#define q35EventCreate hipEventCreate
#define q35EventRecord hipEventRecord
#define q35EventSynchronize hipEventSynchronize
#define q35EventElapsedTime hipEventElapsedTime
#define q35EventDestroy hipEventDestroy
#define q35DeviceProp hipDeviceProp_t
#define q35GetDeviceProperties hipGetDeviceProperties
#define q35DeviceGetAttribute hipDeviceGetAttribute
#define q35MemGetInfo hipMemGetInfo
#define Q35_ATTR_MEMORY_CLOCK_KHZ hipDeviceAttributeMemoryClockRate
#define Q35_ATTR_MEMORY_BUS_BITS hipDeviceAttributeMemoryBusWidth
#define Q35_ATTR_L2_BYTES hipDeviceAttributeL2CacheSize
#define Q35_PLATFORM "hip"
#endif

// Kernel launch: chevrons on the GPU compilers, a thread-pool launch on the CPU. The argument
// list comes first, in parentheses, and the kernel last, so that a template kernel's commas
// (q35_gemm_kernel<64, 8>) need no escaping:  Q35_LAUNCH(grid, block, stream, (a, b), k<1, 2>).
#if defined(Q35_CPU_EMULATION)
#define Q35_LAUNCH(grid, block, stream, args, ...) \
  ::q35emu::launch((grid), (block), [&]() { __VA_ARGS__ args; })
#else
#define Q35_LAUNCH(grid, block, stream, args, ...) \
  __VA_ARGS__<<<(grid), (block), 0, (stream)>>> args
#endif

// Float arithmetic of the reduction must never be contracted into a fused multiply-add: the
// format fixes one rounding per multiply and per add. CUDA's __fmul_rn/__fadd_rn are never
// contracted; for clang (HIP and the CPU build) build.sh and the test pass -ffp-contract=off and
// build.sh checks the disassembly for v_fma/v_fmac.
#if defined(__CUDACC__) && !defined(Q35_CPU_EMULATION)
#define q35_fmul(a, b) __fmul_rn((a), (b))
#define q35_fadd(a, b) __fadd_rn((a), (b))
#else
#define q35_fmul(a, b) ((a) * (b))
#define q35_fadd(a, b) ((a) + (b))
#endif

// Exchange with lane (lane ^ mask) inside one hardware wavefront (mask < Q35_HW_WAVE).
__device__ static inline float q35_shfl_xor(float v, int mask) {
#if defined(Q35_CPU_EMULATION)
  return ::q35emu::shfl_xor(v, mask);
#elif defined(__CUDACC__)
  return __shfl_xor_sync(0xffffffffu, v, mask, Q35_HW_WAVE);
#else
  return __shfl_xor(v, mask, Q35_HW_WAVE);
#endif
}

// acc + sum of the four signed byte products of a and b. Exact in every build.
__device__ static inline int q35_dot4(int a, int b, int acc) {
#if !defined(Q35_CPU_EMULATION) && defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 610
  return __dp4a(a, b, acc);
#elif !defined(Q35_CPU_EMULATION) && (defined(__gfx906__) || defined(__gfx908__) || \
                                      defined(__gfx90a__) || defined(__gfx940__))
  return __builtin_amdgcn_sdot4(a, b, acc, false);
#else
  for (int k = 0; k < 4; k++) {
    acc += (int)(int8_t)(a >> (8 * k)) * (int)(int8_t)(b >> (8 * k));
  }
  return acc;
#endif
}
