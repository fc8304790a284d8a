// q35_gemm.hip: small-batch GEMM (batch <= 32) over the 3.5-bit format. The packed words are
// read and decoded once per row and reused for every batch column; each column's arithmetic is
// exactly the GEMV's.
#include "q35_kernels.h"
#include "q35_rowteam.h"

template <int GT, int NB>
__global__ void __launch_bounds__(Q35_BLOCK_THREADS)
    q35_gemm_kernel(const uint32_t* __restrict__ words, const uint16_t* __restrict__ scales,
                    const int8_t* __restrict__ xq, const float* __restrict__ sx,
                    float* __restrict__ y, int rows, int cols, int group, int batch) {
  __shared__ uint32_t stage[Q35_ROWS_PER_BLOCK * (Q35_LANES * Q35_WORDS(GT > 0 ? GT : Q35_MAX_GROUP) + 1)];
  __shared__ float xchg[Q35_XCHG_FLOATS];
  q35_row_team<GT, NB>(words, scales, xq, sx, y, rows, cols, group, batch, stage, xchg);
}

template <int GT>
static int q35_launch_gemm_g(const uint32_t* words, const uint16_t* scales, const int8_t* xq,
                             const float* sx, float* y, int rows, int cols, int group, int batch,
                             q35Stream stream) {
  dim3 grid((rows + Q35_ROWS_PER_BLOCK - 1) / Q35_ROWS_PER_BLOCK), block(Q35_BLOCK_THREADS);
  // The smallest compiled batch width that holds the batch; unused columns are masked.
  if (batch <= 2) {
    Q35_LAUNCH(grid, block, stream, (words, scales, xq, sx, y, rows, cols, group, batch), q35_gemm_kernel<GT, 2>);
  } else if (batch <= 4) {
    Q35_LAUNCH(grid, block, stream, (words, scales, xq, sx, y, rows, cols, group, batch), q35_gemm_kernel<GT, 4>);
  } else if (batch <= 8) {
    Q35_LAUNCH(grid, block, stream, (words, scales, xq, sx, y, rows, cols, group, batch), q35_gemm_kernel<GT, 8>);
  } else if (batch <= 16) {
    Q35_LAUNCH(grid, block, stream, (words, scales, xq, sx, y, rows, cols, group, batch), q35_gemm_kernel<GT, 16>);
  } else {
    Q35_LAUNCH(grid, block, stream, (words, scales, xq, sx, y, rows, cols, group, batch), q35_gemm_kernel<GT, 32>);
  }
  return (int)q35GetLastError();
}

int q35_launch_gemm(const uint32_t* words, const uint16_t* scales, const int8_t* xq,
                    const float* sx, float* y, int rows, int cols, int group, int batch,
                    q35Stream stream) {
  int bad = q35_check_shape(rows, cols, group, batch);
  if (bad) return bad;
  if (batch == 1) return q35_launch_gemv(words, scales, xq, sx, y, rows, cols, group, stream);
  switch (group) {
    case 64:
      return q35_launch_gemm_g<64>(words, scales, xq, sx, y, rows, cols, group, batch, stream);
    case 128:
      return q35_launch_gemm_g<128>(words, scales, xq, sx, y, rows, cols, group, batch, stream);
    default:
      return q35_launch_gemm_g<0>(words, scales, xq, sx, y, rows, cols, group, batch, stream);
  }
}
