// q35_host.cpp: q35_api.h over the launchers; compiled by hipcc, nvcc (-x cu) or, for the CPU
// emulation, by g++ with -DQ35_CPU_EMULATION.
#include <stdarg.h>
#include <stdio.h>

#include <vector>

#include "q35_api.h"
#include "q35_format.h"
#include "q35_kernels.h"

namespace {

int fail(char* err, size_t errlen, int code, const char* fmt, ...) {
  if (err && errlen) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
  }
  return code;
}

// Device buffers released on every return path.
struct DeviceBuffers {
  void* p[8] = {};
  int n = 0;
  void* add(void* q) { return p[n++] = q; }
  ~DeviceBuffers() {
    for (int i = 0; i < n; i++) (void)q35Free(p[i]);
  }
};

int check(char* err, size_t errlen, int rows, int cols, int group, int batch) {
  if (q35_check_shape(rows, cols, group, batch) != 0) {
    return fail(err, errlen, Q35_ERR_ARG,
                "q35: unsupported shape rows=%d cols=%d group=%d batch=%d (need rows, cols >= 1, "
                "even group 2..%d dividing cols, batch 1..%d)",
                rows, cols, group, batch, Q35_MAX_GROUP, Q35_MAX_BATCH);
  }
  int n = 0;
  q35Error e = q35GetDeviceCount(&n);
  if (e != q35Success || n == 0) {
    return fail(err, errlen, Q35_ERR_NODEVICE, "q35: no %s device (%s)", Q35_PLATFORM,
                q35GetErrorString(e));
  }
  return Q35_OK;
}

#define Q35_TRY(call, what)                                                                 \
  do {                                                                                      \
    q35Error e_ = (call);                                                                   \
    if (e_ != q35Success)                                                                   \
      return fail(err, errlen, Q35_ERR_RUNTIME, "q35: %s: %s", what, q35GetErrorString(e_)); \
  } while (0)

// Launchers return 0, Q35_EBADARG, or the platform's error code as an int.
#define Q35_TRY_LAUNCH(call, what)                                                          \
  do {                                                                                      \
    int e_ = (call);                                                                        \
    if (e_ != 0)                                                                            \
      return fail(err, errlen, Q35_ERR_RUNTIME, "q35: %s: %s", what,                        \
                  e_ == Q35_EBADARG ? "bad argument" : q35GetErrorString((q35Error)e_));    \
  } while (0)

int run(const uint32_t* words, const uint16_t* scales, int rows, int cols, int group,
        const float* x, const int8_t* xq_in, const float* sx_in, int batch, float* y,
        int8_t* xq_out, float* sx_out, char* err, size_t errlen) {
  int bad = check(err, errlen, rows, cols, group, batch);
  if (bad) return bad;
  const size_t groups = (size_t)rows * (size_t)(cols / group);
  const size_t nwords = groups * (size_t)Q35_WORDS(group);
  const size_t nx = (size_t)batch * (size_t)cols;
  const int width = q35_batch_width(batch);
  const size_t nxq = q35_xq_bytes(cols, batch);
  std::vector<int8_t> hxq(nxq, 0);  // host copy in the device's interleaved layout
  DeviceBuffers bufs;
  uint32_t* dw = nullptr;
  uint16_t* ds = nullptr;
  int8_t* dxq = nullptr;
  float *dsx = nullptr, *dy = nullptr, *dx = nullptr;
  Q35_TRY(q35Malloc((void**)&dw, nwords * 4), "allocate packed words");
  bufs.add(dw);
  Q35_TRY(q35Malloc((void**)&ds, groups * 2), "allocate scales");
  bufs.add(ds);
  Q35_TRY(q35Malloc((void**)&dxq, nxq), "allocate activations");
  bufs.add(dxq);
  Q35_TRY(q35Malloc((void**)&dsx, (size_t)width * 4), "allocate activation scales");
  bufs.add(dsx);
  Q35_TRY(q35Malloc((void**)&dy, (size_t)batch * rows * 4), "allocate output");
  bufs.add(dy);
  Q35_TRY(q35Memcpy(dw, words, nwords * 4, q35MemcpyHostToDevice), "copy packed words");
  Q35_TRY(q35Memcpy(ds, scales, groups * 2, q35MemcpyHostToDevice), "copy scales");
  q35Stream stream = 0;
  if (x) {
    Q35_TRY(q35Malloc((void**)&dx, nx * 4), "allocate float activations");
    bufs.add(dx);
    Q35_TRY(q35Memcpy(dx, x, nx * 4, q35MemcpyHostToDevice), "copy activations");
    Q35_TRY_LAUNCH(q35_launch_quantize_x(dx, dxq, dsx, cols, batch, stream), "launch quantize_x");
  } else {
    for (int b = 0; b < batch; b++)
      for (int i = 0; i < cols; i++) hxq[q35_xq_index(i, b, width)] = xq_in[(size_t)b * cols + i];
    Q35_TRY(q35Memcpy(dxq, hxq.data(), nxq, q35MemcpyHostToDevice), "copy activations");
    Q35_TRY(q35Memcpy(dsx, sx_in, (size_t)batch * 4, q35MemcpyHostToDevice), "copy activation scales");
  }
  Q35_TRY_LAUNCH(q35_launch_gemm(dw, ds, dxq, dsx, dy, rows, cols, group, batch, stream), "launch gemm");
  Q35_TRY(q35DeviceSynchronize(), "run gemm");
  Q35_TRY(q35Memcpy(y, dy, (size_t)batch * rows * 4, q35MemcpyDeviceToHost), "copy output");
  if (xq_out) {
    Q35_TRY(q35Memcpy(hxq.data(), dxq, nxq, q35MemcpyDeviceToHost), "copy quantized activations");
    for (int b = 0; b < batch; b++)
      for (int i = 0; i < cols; i++) xq_out[(size_t)b * cols + i] = hxq[q35_xq_index(i, b, width)];
  }
  if (sx_out) Q35_TRY(q35Memcpy(sx_out, dsx, (size_t)batch * 4, q35MemcpyDeviceToHost), "copy activation scales");
  return Q35_OK;
}

}  // namespace

extern "C" const char* q35_platform_name(void) { return Q35_PLATFORM; }

extern "C" int q35_wave_size(void) { return Q35_HW_WAVE; }

extern "C" int q35_device_count(char* err, size_t errlen) {
  int n = 0;
  q35Error e = q35GetDeviceCount(&n);
  if (e != q35Success) {
    fail(err, errlen, 0, "q35: %s device count: %s", Q35_PLATFORM, q35GetErrorString(e));
    return 0;
  }
  return n;
}

extern "C" int q35_words_per_group(int group) { return Q35_WORDS(group); }

extern "C" int q35_gemm_f32(const uint32_t* words, const uint16_t* scales, int rows, int cols,
                            int group, const float* x, int batch, float* y, int8_t* xq_out,
                            float* sx_out, char* err, size_t errlen) {
  return run(words, scales, rows, cols, group, x, nullptr, nullptr, batch, y, xq_out, sx_out, err,
             errlen);
}

extern "C" int q35_gemm_i8(const uint32_t* words, const uint16_t* scales, int rows, int cols,
                           int group, const int8_t* xq, const float* sx, int batch, float* y,
                           char* err, size_t errlen) {
  return run(words, scales, rows, cols, group, nullptr, xq, sx, batch, y, nullptr, nullptr, err,
             errlen);
}
