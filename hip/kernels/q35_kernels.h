// q35_kernels.h: host-side launchers of the 3.5-bit kernels (all pointers are device pointers).
//
// Layouts: words  rows x (cols/G) x W uint32 (W = Q35_WORDS(G)), row-major groups;
//          scales rows x (cols/G) fp16 bits;
//          x      batch x cols float32;   sx batch float32 (q35_batch_width(batch) for quantize_x);
//          xq     int8 in the interleaved layout of q35_format.h (q35_xq_bytes(cols, batch));
//          y      batch x rows float32.
// Launchers return 0 or a nonzero code: Q35_EBADARG for shapes the kernels do not take, or the
// platform's error code from the launch.
#pragma once

#include "q35_port.h"

#define Q35_EBADARG (-22)
#define Q35_MAX_BATCH 32

// Checks rows, cols, group and batch; returns 0 or Q35_EBADARG.
int q35_check_shape(int rows, int cols, int group, int batch);

// xq, sx = quantize(x): per batch column sx = max|x| / 127, xq = clamp(round(x / sx)); writes
// the interleaved layout including its zero padding columns (sx holds q35_batch_width(batch)).
int q35_launch_quantize_x(const float* x, int8_t* xq, float* sx, int cols, int batch,
                          q35Stream stream);

// Batch-1 GEMV: y[r] = sum over groups, in the fixed 64-lane order, times sx[0].
int q35_launch_gemv(const uint32_t* words, const uint16_t* scales, const int8_t* xq,
                    const float* sx, float* y, int rows, int cols, int group, q35Stream stream);

// Small-batch GEMM (1 <= batch <= 32): every batch column is exactly the GEMV.
int q35_launch_gemm(const uint32_t* words, const uint16_t* scales, const int8_t* xq,
                    const float* sx, float* y, int rows, int cols, int group, int batch,
                    q35Stream stream);
