// q35_rowteam.h: one 64-lane row team computes y[b][row] for NB batch columns.
//
// Work split (helpers/quantspec.md, "reduction order"): lane l owns groups l, l+64, l+128, ...
// of its row. Per chunk of 64 groups the team first loads the chunk's packed words with
// coalesced loads (lane l loads words l, l+64, ...) into LDS, then each lane decodes its own
// group from LDS, forms the exact int32 dot product with the int8 activations, and adds
// float(acc) * scale to its running float sum. After the last chunk a butterfly over the 64
// lanes (xor 32, 16, ..., 1) sums the lanes; lane 0 scales by sx and stores. Steps with
// xor >= the hardware wavefront (only xor 32 on a 32-wide NVIDIA warp) go through LDS; the rest
// are wavefront shuffles. Both give the same float adds in the same order.
#pragma once

#include "q35_format.h"

// Floats of the LDS exchange buffer of the butterfly (needed only when a wavefront is narrower
// than the 64 logical lanes).
#define Q35_XCHG_FLOATS (Q35_HW_WAVE < Q35_LANES ? Q35_BLOCK_THREADS : 1)

struct alignas(16) q35_int4 {
  int x, y, z, w;
};

// Adds the group's dot products to acc[0..NB). xg points at the group's first activation chunk
// in the interleaved layout of width NB (q35_format.h). GT > 0: G is the compile-time constant
// GT (G % 16 == 0, words held in registers); GT == 0: any even G up to Q35_MAX_GROUP.
template <int GT, int NB>
__device__ static inline void q35_group_dot(const uint32_t* __restrict__ gw,
                                            const int8_t* __restrict__ xq, int g, int G,
                                            int* acc) {
  if (GT > 0) {
    constexpr int W = Q35_WORDS(GT > 0 ? GT : 2);
    const int8_t* xg = xq + (size_t)g * (GT / 16) * NB * 16;
    uint32_t wr[W + 1];
#pragma unroll
    for (int k = 0; k < W; k++) wr[k] = gw[k];
    wr[W] = 0;
#pragma unroll
    for (int m = 0; m < GT / 16; m++) {  // 16 weights = 8 codes per step
      int lv[4];
#pragma unroll
      for (int k = 0; k < 4; k++) lv[k] = q35_levels4(q35_code(wr, 8 * m + 2 * k), q35_code(wr, 8 * m + 2 * k + 1));
#pragma unroll
      for (int b = 0; b < NB; b++) {
        q35_int4 xv = *reinterpret_cast<const q35_int4*>(xg + (m * NB + b) * 16);
        int a = acc[b];
        a = q35_dot4(lv[0], xv.x, a);
        a = q35_dot4(lv[1], xv.y, a);
        a = q35_dot4(lv[2], xv.z, a);
        a = q35_dot4(lv[3], xv.w, a);
        acc[b] = a;
      }
    }
  } else {
    for (int j = 0; j < G / 2; j++) {
      uint32_t c = q35_code(gw, j);
      int qa = (int)(c / 11) - 5, qb = (int)(c % 11) - 5;
      int i = g * G + 2 * j;  // even, so i and i + 1 share a 16-byte chunk
#pragma unroll
      for (int b = 0; b < NB; b++) {
        const int8_t* xb = xq + q35_xq_index(i, b, NB);
        acc[b] += qa * (int)xb[0] + qb * (int)xb[1];
      }
    }
  }
}

// Coalesced load of one chunk's packed words (lane l takes words l, l+64, ...) into registers;
// WT is the compile-time words per group, words past the chunk read as 0.
template <int WT>
__device__ static inline void q35_load_chunk(uint32_t* t, const uint32_t* __restrict__ src,
                                             int nwords, int lane, bool live) {
#pragma unroll
  for (int k = 0; k < WT; k++) {
    const int i = lane + Q35_LANES * k;
    t[k] = live && i < nwords ? src[i] : 0u;
  }
}

// stage: Q35_ROWS_PER_BLOCK * (64 * W + 1) words of LDS, W = Q35_WORDS(G).
// xchg:  Q35_BLOCK_THREADS floats of LDS (used only when Q35_HW_WAVE < 64).
template <int GT, int NB>
__device__ static inline void q35_row_team(const uint32_t* __restrict__ words,
                                           const uint16_t* __restrict__ scales,
                                           const int8_t* __restrict__ xq,
                                           const float* __restrict__ sx, float* __restrict__ y,
                                           int rows, int cols, int group, int batch,
                                           uint32_t* stage, float* xchg) {
  const int G = GT > 0 ? GT : group;
  const int W = Q35_WORDS(G);
  const int team = (int)threadIdx.x / Q35_LANES;
  const int lane = (int)threadIdx.x % Q35_LANES;
  const int row = (int)blockIdx.x * Q35_ROWS_PER_BLOCK + team;
  const bool live = row < rows;
  const int groups = cols / G;
  const uint32_t* rw = words + (size_t)(live ? row : 0) * groups * W;
  const uint16_t* rs = scales + (size_t)(live ? row : 0) * groups;
  uint32_t* mine = stage + team * (Q35_LANES * W + 1);
  if (lane == 0) mine[Q35_LANES * W] = 0;

  float v[NB];
#pragma unroll
  for (int b = 0; b < NB; b++) v[b] = 0.0f;

  // G known at compile time: the next chunk's words are loaded into registers while the
  // current chunk is computed (W loads in flight per lane). Otherwise a plain copy loop.
  constexpr int WT = Q35_WORDS(GT > 0 ? GT : 2);
  uint32_t next[WT];
  if (GT > 0) q35_load_chunk<WT>(next, rw, (groups < Q35_LANES ? groups : Q35_LANES) * W, lane, live);

  for (int g0 = 0; g0 < groups; g0 += Q35_LANES) {
    const int n = groups - g0 < Q35_LANES ? groups - g0 : Q35_LANES;
    if (GT > 0) {
#pragma unroll
      for (int k = 0; k < WT; k++) mine[lane + Q35_LANES * k] = next[k];
      const int g1 = g0 + Q35_LANES;
      if (g1 < groups) {
        const int n1 = groups - g1 < Q35_LANES ? groups - g1 : Q35_LANES;
        q35_load_chunk<WT>(next, rw + (size_t)g1 * W, n1 * W, lane, live);
      }
    } else if (live) {
      const uint32_t* src = rw + (size_t)g0 * W;
      for (int i = lane; i < n * W; i += Q35_LANES) mine[i] = src[i];
    }
    __syncthreads();
    if (live && lane < n) {
      const int g = g0 + lane;
      int acc[NB];
#pragma unroll
      for (int b = 0; b < NB; b++) acc[b] = 0;
      q35_group_dot<GT, NB>(mine + lane * W, xq, g, G, acc);
      const float s = q35_half_to_float(rs[g]);
#pragma unroll
      for (int b = 0; b < NB; b++) v[b] = q35_fadd(v[b], q35_fmul((float)acc[b], s));
    }
    __syncthreads();
  }

  // Butterfly: v[l] = v[l] + v[l ^ off] for off = 32, 16, ..., 1.
#pragma unroll
  for (int off = Q35_LANES / 2; off >= 1; off >>= 1) {
    if (off >= Q35_HW_WAVE) {
      // One batch column at a time through a block-sized buffer: keeps static shared memory
      // under CUDA's 48 KiB at NB = 32; runs once per row, so the extra barriers are cheap.
      for (int b = 0; b < NB; b++) {
        xchg[threadIdx.x] = v[b];
        __syncthreads();
        v[b] = q35_fadd(v[b], xchg[threadIdx.x ^ off]);
        __syncthreads();
      }
    } else {
#pragma unroll
      for (int b = 0; b < NB; b++) v[b] = q35_fadd(v[b], q35_shfl_xor(v[b], off));
    }
  }
  if (live && lane == 0) {
#pragma unroll
    for (int b = 0; b < NB; b++) {
      if (b < batch) y[(size_t)b * rows + row] = q35_fmul(v[b], sx[b]);
    }
  }
}
