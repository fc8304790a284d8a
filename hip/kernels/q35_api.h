/* q35_api.h: the plain C surface of the 3.5-bit kernels, for cgo, the benchmark and the CPU
 * emulation driver. Host pointers in, host pointers out; device memory is handled inside.
 * Layouts are those of q35_kernels.h. Errors: a Q35_ERR_* code and a message in err. */
#ifndef Q35_API_H
#define Q35_API_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum {
  Q35_OK = 0,
  Q35_ERR_NODEVICE = 1, /* no GPU visible to the runtime */
  Q35_ERR_ARG = 2,      /* a shape the kernels do not take */
  Q35_ERR_RUNTIME = 3   /* allocation, copy or launch failed */
};

/* "hip", "cuda" or "cpu-emulation". */
const char* q35_platform_name(void);

/* Hardware wavefront width the host code was built for (64 on gfx9, 32 on NVIDIA; the CPU
 * emulation's Q35_EMU_WAVE). The reduction is over 64 logical lanes either way. */
int q35_wave_size(void);

/* Number of devices (0 when none); on a runtime error, 0 and a message in err. */
int q35_device_count(char* err, size_t errlen);

/* Words per group for group size g: ceil(7g/64). */
int q35_words_per_group(int group);

/* y (batch x rows) = W x with activations x (batch x cols float32) quantized on the device;
 * xq_out (batch x cols) and sx_out (batch) receive that quantization when not NULL. */
int q35_gemm_f32(const uint32_t* words, const uint16_t* scales, int rows, int cols, int group,
                 const float* x, int batch, float* y, int8_t* xq_out, float* sx_out, char* err,
                 size_t errlen);

/* y (batch x rows) = W x from already quantized activations xq (batch x cols) and sx (batch). */
int q35_gemm_i8(const uint32_t* words, const uint16_t* scales, int rows, int cols, int group,
                const int8_t* xq, const float* sx, int batch, float* y, char* err,
                size_t errlen);

#ifdef __cplusplus
}
#endif

#endif
