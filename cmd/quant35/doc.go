// Command quant35 is the command-line front end of package quantcore, the
// 3.5-bit (q35) weight quantizer.
//
//	quant35 size --params 70e9 [--group 64]
//	    bits per weight including scales, size in GB and the ratio against
//	    FP16 and FP32 for every format.
//	quant35 eval --model FILE [--group 64] [--clip-search]
//	    per-tensor error table (SQNR, relative MSE, max abs error) and totals
//	    for every format, on a safetensors or GGUF file (F32/F16/BF16 tensors).
//	quant35 pack --model FILE --out FILE.q35 [--group 64] [--clip-search]
//	    quantize every 2-D tensor into a q35 container (1-D tensors are kept
//	    as float32).
//	quant35 unpack --in FILE.q35 --out FILE.safetensors
//	    dequantize a container back to an F32 safetensors file.
//	quant35 vectors --out FILE [--seed N]
//	    write the kernel test vectors (Q35V format, see quantcore/vectors.go).
//
// Exit status: 0 on success, 1 on failure, 2 on usage errors.
package main
