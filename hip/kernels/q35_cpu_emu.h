// q35_cpu_emu.h: run the unchanged HIP kernel source as plain C++20 on the CPU.
//
// Each work item of a block is one std::thread; __syncthreads is a std::barrier over the block;
// a wavefront shuffle is an exchange through a per-block buffer between two barriers, restricted
// to the lanes of one emulated wavefront (Q35_EMU_WAVE, 64 like gfx90a unless set to 32 to run
// the NVIDIA-style path). Blocks run one after another, so __shared__ (made function-static here)
// belongs to the running block. Slow, and exact: it exists to check the kernels' arithmetic and
// their reduction order against quantcore, not to time anything.
//
// Contract for kernels: every work item of a block must reach each __syncthreads and each shuffle
// (no divergent barriers), which is also what the GPU requires.
#pragma once

#include <barrier>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <thread>
#include <vector>

#ifndef Q35_EMU_WAVE
#define Q35_EMU_WAVE 64
#endif
#define Q35_HW_WAVE Q35_EMU_WAVE

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __launch_bounds__(n)
#define __shared__ static
#define __restrict__

struct dim3 {
  unsigned x, y, z;
  dim3(unsigned x_ = 1, unsigned y_ = 1, unsigned z_ = 1) : x(x_), y(y_), z(z_) {}
};

inline thread_local dim3 threadIdx;
inline thread_local dim3 blockIdx;
inline thread_local dim3 blockDim;
inline thread_local dim3 gridDim;

namespace q35emu {

struct Block {
  std::barrier<> barrier;
  std::vector<uint32_t> exchange;
  explicit Block(unsigned n) : barrier(n), exchange(n) {}
};

inline thread_local Block* current = nullptr;

inline void sync() { current->barrier.arrive_and_wait(); }

// Wavefront shuffle: every work item publishes its value, then reads its partner's.
inline float shfl_xor(float v, int mask) {
  unsigned tid = threadIdx.x;
  uint32_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  current->exchange[tid] = bits;
  sync();
  unsigned partner = tid ^ (unsigned)mask;
  // A mask never leaves the emulated wavefront (the kernels only pass mask < Q35_HW_WAVE).
  if (partner / Q35_EMU_WAVE != tid / Q35_EMU_WAVE || partner >= blockDim.x) std::abort();
  uint32_t got = current->exchange[partner];
  sync();
  float r;
  std::memcpy(&r, &got, sizeof r);
  return r;
}

// launch runs body once per work item of a 1-D grid of 1-D blocks.
inline void launch(dim3 grid, dim3 block, const std::function<void()>& body) {
  unsigned n = block.x;
  Block blk(n);
  std::vector<std::thread> threads;
  threads.reserve(n);
  for (unsigned t = 0; t < n; t++) {
    threads.emplace_back([&, t]() {
      current = &blk;
      threadIdx = dim3(t);
      blockDim = block;
      gridDim = grid;
      for (unsigned b = 0; b < grid.x; b++) {
        blockIdx = dim3(b);
        body();
        blk.barrier.arrive_and_wait();  // the next block may reuse __shared__ storage
      }
    });
  }
  for (auto& th : threads) th.join();
}

}  // namespace q35emu

#define __syncthreads() ::q35emu::sync()

// Runtime API of the emulation: "device" memory is host memory.
typedef void* q35Stream;
typedef int q35Error;
typedef std::chrono::steady_clock::time_point* q35Event;
#define q35Success 0
#define q35MemcpyHostToDevice 1
#define q35MemcpyDeviceToHost 2
#define q35MemcpyDeviceToDevice 3
inline int q35Malloc(void** p, size_t n) {
  *p = std::malloc(n ? n : 1);
  return *p ? 0 : 2;
}
template <typename T>
inline int q35Malloc(T** p, size_t n) {
  return q35Malloc(reinterpret_cast<void**>(p), n);
}
inline int q35Free(void* p) {
  std::free(p);
  return 0;
}
inline int q35Memcpy(void* d, const void* s, size_t n, int) {
  if (n) std::memcpy(d, s, n);
  return 0;
}
inline int q35Memset(void* d, int v, size_t n) {
  std::memset(d, v, n);
  return 0;
}
inline int q35DeviceSynchronize() { return 0; }
inline int q35GetLastError() { return 0; }
inline const char* q35GetErrorString(int e) { return e ? "emulation error" : "no error"; }
inline int q35GetDeviceCount(int* n) {
  *n = 1;
  return 0;
}
inline int q35EventCreate(q35Event* e) {
  *e = new std::chrono::steady_clock::time_point();
  return 0;
}
inline int q35EventRecord(q35Event e, q35Stream) {
  *e = std::chrono::steady_clock::now();
  return 0;
}
inline int q35EventSynchronize(q35Event) { return 0; }
inline int q35EventElapsedTime(float* ms, q35Event a, q35Event b) {
  *ms = std::chrono::duration<float, std::milli>(*b - *a).count();
  return 0;
}
inline int q35EventDestroy(q35Event e) {
  delete e;
  return 0;
}
struct q35DeviceProp {
  char name[64] = "CPU emulation (timings are meaningless)";
};
inline int q35GetDeviceProperties(q35DeviceProp*, int) { return 0; }
enum { Q35_ATTR_MEMORY_CLOCK_KHZ, Q35_ATTR_MEMORY_BUS_BITS, Q35_ATTR_L2_BYTES };
inline int q35DeviceGetAttribute(int* v, int attr, int) {
  *v = attr == Q35_ATTR_L2_BYTES ? (1 << 20) : 1000;  // nominal placeholders for a dry run
  return 0;
}
inline int q35MemGetInfo(size_t* free_b, size_t* total_b) {
  *free_b = *total_b = (size_t)1 << 30;
  return 0;
}
#define Q35_PLATFORM "cpu-emulation"
