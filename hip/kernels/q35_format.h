// q35_format.h: the 3.5-bit format as device/host helpers (helpers/quantspec.md).
//
// Weights come in groups of G; each pair of levels (a-5, b-5), a, b in 0..10, is one 7-bit code
// c = 11a + b; the G/2 codes of a group are a little-endian bit stream over W = ceil(7G/64)
// 32-bit words; each group has one IEEE fp16 scale.
#pragma once

#include "q35_port.h"

#define Q35_MAX_GROUP 256                    // largest G the generic kernel path accepts
#define Q35_WORDS(G) ((7 * (G) / 2 + 31) / 32)  // words per group: 7 for 64, 14 for 128

// Device layout of int8 activations: batch columns interleaved in 16-byte chunks, with the
// batch padded to the kernel's compiled width (1, 2, 4, 8, 16 or 32; padding columns are zero).
// Byte i of column b lives at ((i / 16) * width + b) * 16 + i % 16, so a lane's 16 activations
// of every batch column sit in one contiguous span and each load has a constant offset.
// The buffer holds q35_xq_bytes(cols, batch) bytes.
__host__ __device__ static inline int q35_batch_width(int batch) {
  int w = 1;
  while (w < batch) w *= 2;
  return w;
}
__host__ __device__ static inline size_t q35_xq_index(int i, int b, int width) {
  return ((size_t)(i >> 4) * (size_t)width + (size_t)b) * 16 + (size_t)(i & 15);
}
__host__ __device__ static inline size_t q35_xq_bytes(int cols, int batch) {
  return (size_t)((cols + 15) / 16) * 16 * (size_t)q35_batch_width(batch);
}

// Rows handled by one block: one 64-lane row team per row.
#define Q35_ROWS_PER_BLOCK 4
#define Q35_BLOCK_THREADS (Q35_LANES * Q35_ROWS_PER_BLOCK)

__host__ __device__ static inline float q35_bits_to_float(uint32_t bits) {
  union {
    uint32_t u;
    float f;
  } v;
  v.u = bits;
  return v.f;
}

// Exact fp16 -> fp32 widening (normals, subnormals, zeros, inf/NaN), integer-only so that every
// compiler gives the same bits.
__host__ __device__ static inline float q35_half_to_float(uint16_t h) {
  uint32_t sign = (uint32_t)(h >> 15) << 31;
  uint32_t exp = (h >> 10) & 0x1f;
  uint32_t man = h & 0x3ff;
  if (exp == 0) {
    if (man == 0) return q35_bits_to_float(sign);
    uint32_t e = 127 - 14;
    while (!(man & 0x400)) {
      man <<= 1;
      e--;
    }
    return q35_bits_to_float(sign | (e << 23) | ((man & 0x3ff) << 13));
  }
  if (exp == 31) return q35_bits_to_float(sign | (0xffu << 23) | (man << 13));
  return q35_bits_to_float(sign | ((exp - 15 + 127) << 23) | (man << 13));
}

// Code j of a group whose words are w[0..W] (w[W] readable; its bits never matter).
__host__ __device__ static inline uint32_t q35_code(const uint32_t* w, int j) {
  int bit = 7 * j;
  int idx = bit >> 5;
  int sh = bit & 31;
  uint64_t window = ((uint64_t)w[idx + 1] << 32) | w[idx];
  return (uint32_t)(window >> sh) & 0x7f;
}

// Four signed levels (two codes) as one int8x4 word, lowest weight in the lowest byte.
__host__ __device__ static inline int q35_levels4(uint32_t c0, uint32_t c1) {
  uint32_t a0 = c0 / 11, b0 = c0 - 11 * a0;
  uint32_t a1 = c1 / 11, b1 = c1 - 11 * a1;
  return (int)(((a0 - 5) & 0xff) | (((b0 - 5) & 0xff) << 8) | (((a1 - 5) & 0xff) << 16) |
               (((b1 - 5) & 0xff) << 24));
}
