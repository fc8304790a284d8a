// q35_gemv.hip: batch-1 GEMV over the 3.5-bit format, and the activation quantizer.
#include "q35_kernels.h"
#include "q35_rowteam.h"

template <int GT>
__global__ void __launch_bounds__(Q35_BLOCK_THREADS)
    q35_gemv_kernel(const uint32_t* __restrict__ words, const uint16_t* __restrict__ scales,
                    const int8_t* __restrict__ xq, const float* __restrict__ sx,
                    float* __restrict__ y, int rows, int cols, int group) {
  __shared__ uint32_t stage[Q35_ROWS_PER_BLOCK * (Q35_LANES * Q35_WORDS(GT > 0 ? GT : Q35_MAX_GROUP) + 1)];
  __shared__ float xchg[Q35_XCHG_FLOATS];
  q35_row_team<GT, 1>(words, scales, xq, sx, y, rows, cols, group, 1, stage, xchg);
}

// One block per (padded) batch column: max|x| (exact in any order), then the per-element
// rounding, written in the interleaved layout. Padding columns get zeros and sx = 0.
__global__ void __launch_bounds__(Q35_BLOCK_THREADS)
    q35_quantize_x_kernel(const float* __restrict__ x, int8_t* __restrict__ xq,
                          float* __restrict__ sx, int cols, int batch) {
  __shared__ float red[Q35_BLOCK_THREADS];
  const int b = (int)blockIdx.x, width = (int)gridDim.x;
  const bool real = b < batch;
  const float* xb = x + (size_t)(real ? b : 0) * cols;
  float m = 0.0f;
  for (int i = (int)threadIdx.x; real && i < cols; i += Q35_BLOCK_THREADS) {
    float a = xb[i] < 0.0f ? -xb[i] : xb[i];
    m = a > m ? a : m;
  }
  red[threadIdx.x] = m;
  __syncthreads();
  for (int s = Q35_BLOCK_THREADS / 2; s > 0; s >>= 1) {
    if ((int)threadIdx.x < s) {
      float o = red[threadIdx.x + s];
      if (o > red[threadIdx.x]) red[threadIdx.x] = o;
    }
    __syncthreads();
  }
  const float amax = red[0];
  const float s = amax / 127.0f;
  if (threadIdx.x == 0) sx[b] = s;
  const int padded = (cols + 15) / 16 * 16;
  for (int i = (int)threadIdx.x; i < padded; i += Q35_BLOCK_THREADS) {
    int q = 0;
    if (real && i < cols && s > 0.0f) {
      float t = xb[i] / s;
      // roundf rounds half away from zero; then clamp to [-127, 127]
      float r = roundf(t);
      if (r > 127.0f) r = 127.0f;
      if (r < -127.0f) r = -127.0f;
      q = (int)r;
    }
    xq[q35_xq_index(i, b, width)] = (int8_t)q;
  }
}

int q35_check_shape(int rows, int cols, int group, int batch) {
  if (rows < 1 || cols < 1 || group < 2 || group % 2 != 0 || group > Q35_MAX_GROUP) return Q35_EBADARG;
  if (cols % group != 0) return Q35_EBADARG;
  if (batch < 1 || batch > Q35_MAX_BATCH) return Q35_EBADARG;
  return 0;
}

int q35_launch_quantize_x(const float* x, int8_t* xq, float* sx, int cols, int batch,
                          q35Stream stream) {
  if (cols < 1 || batch < 1) return Q35_EBADARG;
  if (batch > Q35_MAX_BATCH) return Q35_EBADARG;
  Q35_LAUNCH(dim3(q35_batch_width(batch)), dim3(Q35_BLOCK_THREADS), stream, (x, xq, sx, cols, batch), q35_quantize_x_kernel);
  return (int)q35GetLastError();
}

int q35_launch_gemv(const uint32_t* words, const uint16_t* scales, const int8_t* xq,
                    const float* sx, float* y, int rows, int cols, int group, q35Stream stream) {
  int bad = q35_check_shape(rows, cols, group, 1);
  if (bad) return bad;
  dim3 grid((rows + Q35_ROWS_PER_BLOCK - 1) / Q35_ROWS_PER_BLOCK), block(Q35_BLOCK_THREADS);
  switch (group) {
    case 64:
      Q35_LAUNCH(grid, block, stream, (words, scales, xq, sx, y, rows, cols, group), q35_gemv_kernel<64>);
      break;
    case 128:
      Q35_LAUNCH(grid, block, stream, (words, scales, xq, sx, y, rows, cols, group), q35_gemv_kernel<128>);
      break;
    default:
      Q35_LAUNCH(grid, block, stream, (words, scales, xq, sx, y, rows, cols, group), q35_gemv_kernel<0>);
  }
  return (int)q35GetLastError();
}
