// q35_emu_main.cpp: runs the CPU emulation of the kernels over a quantcore test-vector file.
//
//   q35emu VECTORS.q35v OUT
//
// VECTORS is quantcore's Q35V file (quantcore/vectors.go; `quant35 vectors` writes one). For each
// case the program runs the GEMV/GEMM twice: on the file's int8 activations and scales, and on
// the file's float activations quantized by the emulated quantize_x kernel. OUT receives per
// case, little-endian: u32 status (Q35_OK or a Q35_ERR_*), then when OK batch*rows f32 y (from
// the file's xq), batch*rows f32 y (from x), batch*cols int8 xq and batch f32 sx (from x).
// The Go test (hip/emulate_test.go) compares OUT with quantcore bit for bit; this program also prints
// its own count of cases whose outputs equal the file's expected y bit for bit (NaN matches NaN).
// Exit status: 0 all matched, 1 some mismatch, 2 unreadable input.
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <string>
#include <vector>

#include "../kernels/q35_api.h"

namespace {

struct Reader {
  FILE* f;
  bool ok = true;
  void read(void* p, size_t n) {
    if (ok && n && fread(p, 1, n, f) != n) ok = false;
  }
  uint32_t u32() {
    uint32_t v = 0;
    read(&v, 4);
    return v;
  }
};

bool same_bits(float a, float b) {
  if (a != a && b != b) return true;  // NaN payloads differ between CPUs and GPUs
  return memcmp(&a, &b, 4) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s VECTORS.q35v OUT\n", argv[0]);
    return 2;
  }
  FILE* in = fopen(argv[1], "rb");
  if (!in) {
    perror(argv[1]);
    return 2;
  }
  FILE* out = fopen(argv[2], "wb");
  if (!out) {
    perror(argv[2]);
    return 2;
  }
  Reader rd{in};
  char magic[4];
  rd.read(magic, 4);
  uint32_t version = rd.u32(), ncases = rd.u32();
  if (!rd.ok || memcmp(magic, "Q35V", 4) != 0 || version != 1) {
    fprintf(stderr, "%s: not a Q35V version 1 file (write one with `quant35 vectors`)\n", argv[1]);
    return 2;
  }
  int passed = 0, failed = 0;
  for (uint32_t index = 0; index < ncases; index++) {
    uint32_t nameLen = rd.u32();
    if (!rd.ok || nameLen > 256) {
      fprintf(stderr, "%s: case %u: bad name length\n", argv[1], index);
      return 2;
    }
    std::string name(nameLen, '\0');
    rd.read(name.data(), nameLen);
    int rows = (int)rd.u32(), cols = (int)rd.u32(), group = (int)rd.u32(), batch = (int)rd.u32();
    if (!rd.ok || rows < 1 || cols < 1 || group < 2 || group % 2 || cols % group || batch < 1 ||
        (uint64_t)rows * (uint64_t)cols > (1u << 28)) {
      fprintf(stderr, "%s: case %u (%s): bad shape rows=%d cols=%d group=%d batch=%d\n", argv[1],
              index, name.c_str(), rows, cols, group, batch);
      return 2;
    }
    size_t groups = (size_t)rows * (size_t)(cols / group);
    std::vector<uint32_t> words(groups * (size_t)q35_words_per_group(group));
    std::vector<uint16_t> scales(groups);
    std::vector<float> sx(batch), x((size_t)batch * cols), want((size_t)batch * rows);
    std::vector<int8_t> xq((size_t)batch * cols);
    rd.read(words.data(), words.size() * 4);
    rd.read(scales.data(), scales.size() * 2);
    rd.read(sx.data(), sx.size() * 4);
    rd.read(xq.data(), xq.size());
    rd.read(x.data(), x.size() * 4);
    rd.read(want.data(), want.size() * 4);
    if (!rd.ok) {
      fprintf(stderr, "%s: case %u (%s): truncated\n", argv[1], index, name.c_str());
      return 2;
    }
    std::vector<float> yi((size_t)batch * rows), yf((size_t)batch * rows), gsx(batch);
    std::vector<int8_t> gxq((size_t)batch * cols);
    char err[512] = "";
    int st = q35_gemm_i8(words.data(), scales.data(), rows, cols, group, xq.data(), sx.data(),
                         batch, yi.data(), err, sizeof err);
    if (st == Q35_OK) {
      st = q35_gemm_f32(words.data(), scales.data(), rows, cols, group, x.data(), batch, yf.data(),
                        gxq.data(), gsx.data(), err, sizeof err);
    }
    uint32_t status = (uint32_t)st;
    fwrite(&status, 4, 1, out);
    if (st != Q35_OK) {
      fprintf(stderr, "case %u (%s): %s\n", index, name.c_str(), err);
      failed++;
      continue;
    }
    fwrite(yi.data(), 4, yi.size(), out);
    fwrite(yf.data(), 4, yf.size(), out);
    fwrite(gxq.data(), 1, gxq.size(), out);
    fwrite(gsx.data(), 4, gsx.size(), out);
    size_t bad = 0;
    for (size_t i = 0; i < want.size(); i++) bad += !same_bits(yi[i], want[i]) + !same_bits(yf[i], want[i]);
    if (bad) {
      fprintf(stderr, "case %u (%s): %zu outputs differ from quantcore\n", index, name.c_str(), bad);
      failed++;
    } else {
      passed++;
    }
  }
  if (fclose(out) != 0) {
    perror(argv[2]);
    return 2;
  }
  fclose(in);
  fprintf(stderr, "%d passed, %d failed (%s, wavefront %d)\n", passed, failed, q35_platform_name(),
          q35_wave_size());
  return failed ? 1 : 0;
}
