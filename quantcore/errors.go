package quantcore

import "errors"

// Sentinel errors. Every error returned by this package wraps one of these
// and names the tensor (or file) and what is wrong.
var (
	// ErrShape: the data length does not match rows × cols, or a size is not positive.
	ErrShape = errors.New("shape mismatch")
	// ErrGroupSize: the group size is not positive and even, or does not divide the row.
	ErrGroupSize = errors.New("bad group size")
	// ErrNonFinite: a weight or activation is NaN or ±Inf.
	ErrNonFinite = errors.New("non-finite value")
	// ErrScaleOverflow: a group's scale does not fit in fp16 (max|w| > 327520).
	ErrScaleOverflow = errors.New("scale overflows fp16")
	// ErrCode: a packed code is outside 0..120, or padding bits are not zero.
	ErrCode = errors.New("invalid packed code")
	// ErrDType: a tensor in a weight file has a dtype this package does not read.
	ErrDType = errors.New("unsupported dtype")
	// ErrTruncated: a file ends before the data it declares.
	ErrTruncated = errors.New("truncated file")
	// ErrFormat: a file is not in the expected format (bad magic, version or header).
	ErrFormat = errors.New("bad file format")
	// ErrBatch: a GEMM batch is outside 1..MaxBatch or inconsistent with its inputs.
	ErrBatch = errors.New("bad batch")
)
