// q35_bench.cpp: GPU benchmark of the 3.5-bit GEMV/GEMM (built as hip/bench by hip/build.sh).
//
//   hip/bench --matrix-size 8192x8192 [--batch B] [--group 64|128] [--iters N] [--peak-gbps X]
//
// Synthetic FP16 weights (Gaussian, fixed seed) are quantized on the host to the q35 format.
// The timed region is the GEMV/GEMM kernel alone, cycling over enough copies of the weights
// that they cannot stay in the L2 cache between iterations. It prints:
//   - time per call, effective bandwidth (packed words + scales + int8 activations + output),
//     and the fraction of the device's nominal peak (memory clock x bus width, or --peak-gbps)
//     and of a measured device-to-device copy on the same card;
//   - exactness: sampled rows compared bit for bit with a host implementation of the format's
//     fixed reduction order (helpers/quantspec.md), and the device's int8 activations;
//   - accuracy: max error against an FP16 reference (the unquantized fp16 weights times the
//     float activations, in double) and against the dequantized weights (float64).
// With no GPU it says so and exits 3. Usage errors exit 2.
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <random>
#include <string>
#include <vector>

#include "../kernels/q35_api.h"
#include "../kernels/q35_format.h"
#include "../kernels/q35_kernels.h"

namespace {

int usage(const char* msg) {
  fprintf(stderr,
          "hip/bench: %s\nusage: hip/bench --matrix-size ROWSxCOLS [--batch 1..32] [--group G] "
          "[--iters N] [--peak-gbps X] [--seed S]\n",
          msg);
  return 2;
}

#define CHECK(call, what)                                                                   \
  do {                                                                                      \
    q35Error e_ = (call);                                                                   \
    if (e_ != q35Success) {                                                                 \
      fprintf(stderr, "hip/bench: %s: %s\n", what, q35GetErrorString(e_));                  \
      exit(4);                                                                              \
    }                                                                                       \
  } while (0)

#define CHECK_LAUNCH(call, what)                                                            \
  do {                                                                                      \
    int e_ = (call);                                                                        \
    if (e_ != 0) {                                                                          \
      fprintf(stderr, "hip/bench: %s: error %d\n", what, e_);                               \
      exit(4);                                                                              \
    }                                                                                       \
  } while (0)

// Round-to-nearest-even float -> fp16 bits (finite inputs of fp16 range).
uint16_t half_rne(float f) {
  uint32_t x;
  memcpy(&x, &f, 4);
  uint32_t sign = (x >> 16) & 0x8000;
  float a = fabsf(f);
  if (a >= 65520.0f) return (uint16_t)(sign | 0x7c00);
  if (a < 6.103515625e-05f) {  // subnormal half: multiples of 2^-24
    float q = nearbyintf(a * 16777216.0f);
    return (uint16_t)(sign | (uint32_t)q);
  }
  uint32_t ax;
  memcpy(&ax, &a, 4);
  uint32_t mant = ax & 0x7fffff, exp = (ax >> 23) - 127 + 15;
  uint32_t h = (exp << 10) | (mant >> 13);
  uint32_t rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest == 0x1000 && (h & 1))) h++;
  return (uint16_t)(sign | h);
}

// Smallest fp16 >= t (t >= 0, in range): the group scale rule of the format.
uint16_t half_up(double t) {
  uint16_t h = half_rne((float)t);
  while ((double)q35_half_to_float(h) < t) h++;
  return h;
}

struct Matrix {
  int rows, cols, group, W;
  std::vector<uint16_t> w16;  // the FP16 weights
  std::vector<uint32_t> words;
  std::vector<uint16_t> scales;
};

void quantize(Matrix& m) {
  int gpr = m.cols / m.group;
  m.words.assign((size_t)m.rows * gpr * m.W, 0);
  m.scales.assign((size_t)m.rows * gpr, 0);
  std::vector<int> q(m.group);
  for (int r = 0; r < m.rows; r++) {
    for (int g = 0; g < gpr; g++) {
      const uint16_t* src = &m.w16[(size_t)r * m.cols + (size_t)g * m.group];
      double mx = 0;
      for (int i = 0; i < m.group; i++) mx = fmax(mx, fabs((double)q35_half_to_float(src[i])));
      uint16_t sh = mx == 0 ? 0 : half_up(mx / 5.0);
      double s = q35_half_to_float(sh);
      for (int i = 0; i < m.group; i++) {
        double t = s == 0 ? 0 : round((double)q35_half_to_float(src[i]) / s);
        q[i] = (int)fmin(5, fmax(-5, t));
      }
      size_t gi = (size_t)r * gpr + g;
      m.scales[gi] = sh;
      uint32_t* w = &m.words[gi * m.W];
      for (int j = 0; j < m.group / 2; j++) {
        uint64_t c = (uint64_t)(11 * (q[2 * j] + 5) + (q[2 * j + 1] + 5));
        int bit = 7 * j;
        w[bit >> 5] |= (uint32_t)(c << (bit & 31));
        if ((bit & 31) > 25) w[(bit >> 5) + 1] |= (uint32_t)(c >> (32 - (bit & 31)));
      }
    }
  }
}

int level(const Matrix& m, size_t gi, int i) {
  uint32_t c = q35_code(&m.words[gi * m.W], i / 2);  // reads one word past the group: fine
  return i % 2 == 0 ? (int)(c / 11) - 5 : (int)(c % 11) - 5;
}

// The format's integer-accumulate GEMV for one row, in the fixed 64-lane order.
float exact_row(const Matrix& m, int r, const int8_t* xq, float sx) {
  int gpr = m.cols / m.group;
  float v[Q35_LANES] = {0};
  for (int g = 0; g < gpr; g++) {
    size_t gi = (size_t)r * gpr + g;
    int acc = 0;
    for (int i = 0; i < m.group; i++) acc += level(m, gi, i) * xq[g * m.group + i];
    volatile float p = (float)acc * q35_half_to_float(m.scales[gi]);
    v[g % Q35_LANES] = v[g % Q35_LANES] + p;
  }
  for (int off = Q35_LANES / 2; off >= 1; off >>= 1)
    for (int l = 0; l < off; l++) v[l] = v[l] + v[l + off];
  volatile float y = v[0] * sx;
  return y;
}

}  // namespace

int main(int argc, char** argv) {
  int rows = 8192, cols = 8192, batch = 1, group = 64, iters = 50;
  double peak_override = 0;
  unsigned seed = 1;
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    auto val = [&](const char* name) -> const char* {
      if (i + 1 >= argc) {
        usage((std::string(name) + " needs a value").c_str());
        exit(2);
      }
      return argv[++i];
    };
    if (a == "--matrix-size") {
      const char* v = val("--matrix-size");
      if (sscanf(v, "%dx%d", &rows, &cols) != 2 || rows < 1 || cols < 1)
        return usage("--matrix-size wants ROWSxCOLS, e.g. 8192x8192");
    } else if (a == "--batch") {
      batch = atoi(val("--batch"));
    } else if (a == "--group") {
      group = atoi(val("--group"));
    } else if (a == "--iters") {
      iters = atoi(val("--iters"));
    } else if (a == "--peak-gbps") {
      peak_override = atof(val("--peak-gbps"));
    } else if (a == "--seed") {
      seed = (unsigned)atoi(val("--seed"));
    } else if (a == "-h" || a == "--help") {
      usage("benchmark of the 3.5-bit GEMV/GEMM kernels");
      return 0;
    } else {
      return usage(("unknown flag " + a).c_str());
    }
  }
  if (q35_check_shape(rows, cols, group, batch) != 0)
    return usage("unsupported shape: need an even --group up to 256 dividing the columns, --batch 1..32");
  if (iters < 1) return usage("--iters must be at least 1");

  int ndev = 0;
  q35Error de = q35GetDeviceCount(&ndev);
  if (de != q35Success || ndev == 0) {
    fprintf(stderr,
            "hip/bench: no GPU: the %s runtime reports %s. Nothing was timed. The kernels were "
            "compiled by hip/build.sh and are checked on the CPU by `go test ./hip/`; run this "
            "program on a machine with an AMD (hipcc build) or NVIDIA (nvcc build, see "
            "hip/README.md) GPU.\n",
            Q35_PLATFORM, de != q35Success ? q35GetErrorString(de) : "0 devices");
    return 3;
  }
  q35DeviceProp prop;
  CHECK(q35GetDeviceProperties(&prop, 0), "device properties");
  int memclk_khz = 0, bus_bits = 0, l2 = 0;
  (void)q35DeviceGetAttribute(&memclk_khz, Q35_ATTR_MEMORY_CLOCK_KHZ, 0);
  (void)q35DeviceGetAttribute(&bus_bits, Q35_ATTR_MEMORY_BUS_BITS, 0);
  (void)q35DeviceGetAttribute(&l2, Q35_ATTR_L2_BYTES, 0);
  double peak = peak_override > 0 ? peak_override : 2.0 * memclk_khz * 1e3 * bus_bits / 8 / 1e9;

  // Weights, activations, quantization.
  Matrix m{rows, cols, group, Q35_WORDS(group), {}, {}, {}};
  std::mt19937_64 rng(seed);
  std::normal_distribution<float> nd(0.0f, 0.02f), na(0.0f, 1.0f);
  m.w16.resize((size_t)rows * cols);
  for (auto& h : m.w16) h = half_rne(nd(rng));
  quantize(m);
  std::vector<float> x((size_t)batch * cols);
  for (auto& v : x) v = na(rng);

  const size_t wbytes = m.words.size() * 4, sbytes = m.scales.size() * 2;
  const size_t mbytes = wbytes + sbytes;
  size_t copies = l2 > 0 ? (4 * (size_t)l2 + mbytes - 1) / mbytes : 4;
  if (copies < 1) copies = 1;
  size_t free_b = 0, total_b = 0;
  if (q35MemGetInfo(&free_b, &total_b) == q35Success && copies * mbytes > free_b / 2)
    copies = free_b / 2 / mbytes > 0 ? free_b / 2 / mbytes : 1;

  std::vector<uint32_t*> dw(copies);
  std::vector<uint16_t*> ds(copies);
  for (size_t c = 0; c < copies; c++) {
    CHECK(q35Malloc((void**)&dw[c], wbytes), "allocate packed words");
    CHECK(q35Malloc((void**)&ds[c], sbytes), "allocate scales");
    CHECK(q35Memcpy(dw[c], m.words.data(), wbytes, q35MemcpyHostToDevice), "copy packed words");
    CHECK(q35Memcpy(ds[c], m.scales.data(), sbytes, q35MemcpyHostToDevice), "copy scales");
  }
  float *dx, *dsx, *dy;
  int8_t* dxq;
  CHECK(q35Malloc((void**)&dx, x.size() * 4), "allocate activations");
  const size_t nxq = q35_xq_bytes(cols, batch);
  const int width = q35_batch_width(batch);
  CHECK(q35Malloc((void**)&dxq, nxq), "allocate int8 activations");
  CHECK(q35Malloc((void**)&dsx, (size_t)width * 4), "allocate activation scales");
  CHECK(q35Malloc((void**)&dy, (size_t)batch * rows * 4), "allocate output");
  CHECK(q35Memcpy(dx, x.data(), x.size() * 4, q35MemcpyHostToDevice), "copy activations");
  q35Stream stream = 0;
  CHECK_LAUNCH(q35_launch_quantize_x(dx, dxq, dsx, cols, batch, stream), "quantize_x");

  q35Event t0, t1;
  CHECK(q35EventCreate(&t0), "event");
  CHECK(q35EventCreate(&t1), "event");
  for (int i = 0; i < 3; i++)
    CHECK_LAUNCH(q35_launch_gemm(dw[i % copies], ds[i % copies], dxq, dsx, dy, rows, cols, group, batch, stream), "gemm");
  CHECK(q35DeviceSynchronize(), "warm-up");
  CHECK(q35EventRecord(t0, stream), "event");
  for (int i = 0; i < iters; i++)
    CHECK_LAUNCH(q35_launch_gemm(dw[i % copies], ds[i % copies], dxq, dsx, dy, rows, cols, group, batch, stream), "gemm");
  CHECK(q35EventRecord(t1, stream), "event");
  CHECK(q35EventSynchronize(t1), "run");
  float ms = 0;
  CHECK(q35EventElapsedTime(&ms, t0, t1), "elapsed time");
  const double sec = ms / 1e3 / iters;
  const double bytes = (double)mbytes + (double)nxq + 4.0 * width + 4.0 * batch * rows;
  const double gbps = bytes / sec / 1e9;

  // Measured copy bandwidth on the same card (read + write), the practical ceiling.
  size_t cbytes = mbytes * copies;
  if (cbytes < ((size_t)256 << 20)) cbytes = (size_t)256 << 20;
  void *ca = nullptr, *cb = nullptr;
  double copy_gbps = 0;
  if (q35Malloc(&ca, cbytes) == q35Success && q35Malloc(&cb, cbytes) == q35Success) {
    (void)q35Memcpy(cb, ca, cbytes, q35MemcpyDeviceToDevice);
    (void)q35DeviceSynchronize();
    const int reps = 10;
    (void)q35EventRecord(t0, stream);
    for (int i = 0; i < reps; i++) (void)q35Memcpy(cb, ca, cbytes, q35MemcpyDeviceToDevice);
    (void)q35EventRecord(t1, stream);
    (void)q35EventSynchronize(t1);
    float cms = 0;
    (void)q35EventElapsedTime(&cms, t0, t1);
    copy_gbps = 2.0 * cbytes * reps / (cms / 1e3) / 1e9;
  }
  if (ca) (void)q35Free(ca);
  if (cb) (void)q35Free(cb);

  // Exactness and accuracy on sampled rows.
  std::vector<float> y((size_t)batch * rows), sx(batch);
  std::vector<int8_t> xq(x.size()), xqt(nxq);
  CHECK(q35Memcpy(y.data(), dy, y.size() * 4, q35MemcpyDeviceToHost), "copy output");
  CHECK(q35Memcpy(xqt.data(), dxq, nxq, q35MemcpyDeviceToHost), "copy int8 activations");
  for (int b = 0; b < batch; b++)
    for (int i = 0; i < cols; i++) xq[(size_t)b * cols + i] = xqt[q35_xq_index(i, b, width)];
  CHECK(q35Memcpy(sx.data(), dsx, sx.size() * 4, q35MemcpyDeviceToHost), "copy activation scales");
  size_t xq_bad = 0;
  for (int b = 0; b < batch; b++) {
    float mx = 0;
    for (int i = 0; i < cols; i++) mx = fmaxf(mx, fabsf(x[(size_t)b * cols + i]));
    volatile float s = mx / 127.0f;
    if (memcmp((const void*)&s, &sx[b], 4) != 0) xq_bad++;
    for (int i = 0; i < cols; i++) {
      float t = s > 0 ? roundf(x[(size_t)b * cols + i] / s) : 0.0f;
      t = fminf(127.0f, fmaxf(-127.0f, t));
      xq_bad += (int8_t)t != xq[(size_t)b * cols + i];
    }
  }
  const int sample = rows < 512 ? rows : 512;
  size_t exact = 0, checked = 0;
  double err16 = 0, errdq = 0, ref16max = 0;
  int gpr = cols / group;
  for (int k = 0; k < sample; k++) {
    int r = (int)((long long)k * rows / sample);
    for (int b = 0; b < batch; b++) {
      const float* xb = &x[(size_t)b * cols];
      float want = exact_row(m, r, &xq[(size_t)b * cols], sx[b]);
      float got = y[(size_t)b * rows + r];
      exact += memcmp(&want, &got, 4) == 0;
      checked++;
      double r16 = 0, rdq = 0;
      for (int g = 0; g < gpr; g++) {
        size_t gi = (size_t)r * gpr + g;
        double s = q35_half_to_float(m.scales[gi]);
        for (int i = 0; i < group; i++) {
          size_t c = (size_t)g * group + i;
          r16 += (double)q35_half_to_float(m.w16[(size_t)r * cols + c]) * xb[c];
          rdq += (double)((float)level(m, gi, i) * (float)s) * xb[c];
        }
      }
      err16 = fmax(err16, fabs(got - r16));
      errdq = fmax(errdq, fabs(got - rdq));
      ref16max = fmax(ref16max, fabs(r16));
    }
  }

  printf("device: %s (%s, wavefront %d, L2 %d MiB)\n", prop.name, Q35_PLATFORM, q35_wave_size(), l2 >> 20);
  printf("shape: %dx%d group %d batch %d, %.4f bits/weight, %zu weight copies cycled (%.1f MiB each)\n",
         rows, cols, group, batch, 8.0 * mbytes / ((double)rows * cols), copies, mbytes / 1048576.0);
  printf("time: %.2f us per call (mean of %d)\n", sec * 1e6, iters);
  printf("bandwidth: %.1f GB/s; nominal peak %.1f GB/s%s -> %.1f%% of peak", gbps, peak,
         peak_override > 0 ? " (--peak-gbps)" : " (memory clock x bus width)", 100 * gbps / peak);
  if (copy_gbps > 0) printf("; device copy %.1f GB/s -> %.1f%% of copy", copy_gbps, 100 * gbps / copy_gbps);
  printf("\n");
  printf("exact: %zu/%zu sampled outputs bit-identical to the host reference order; int8 activations: %zu mismatches\n",
         exact, checked, xq_bad);
  printf("error: max |y - fp16 ref| = %.6g (max |fp16 ref| = %.6g, relative %.3g); max |y - dequant ref| = %.6g\n",
         err16, ref16max, ref16max > 0 ? err16 / ref16max : 0.0, errdq);
  return exact == checked && xq_bad == 0 ? 0 : 1;
}
