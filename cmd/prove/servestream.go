package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/sourcegraph/jsonrpc2"
)

// lineStream is a jsonrpc2.ObjectStream of newline-delimited JSON with a
// limit on the size of one message.
//
// The library's own streams close the connection on the first message they
// cannot decode. A service should answer instead, as JSON-RPC 2.0 says: a
// message over the limit gets an "invalid request" error and one that is not
// JSON a "parse error", both with a null id, and the connection stays up.
type lineStream struct {
	r        *bufio.Reader
	conn     io.Closer
	maxBytes int

	mu sync.Mutex // serializes writes: replies come from many goroutines
	w  io.Writer
}

func newLineStream(rwc io.ReadWriteCloser, maxBytes int) *lineStream {
	return &lineStream{r: bufio.NewReaderSize(rwc, 64<<10), w: rwc, conn: rwc, maxBytes: maxBytes}
}

// WriteObject implements jsonrpc2.ObjectStream.
func (s *lineStream) WriteObject(obj any) error {
	data, err := json.Marshal(obj)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err = s.w.Write(append(data, '\n'))
	return err
}

// ReadObject implements jsonrpc2.ObjectStream. It returns only valid JSON
// objects; oversized and malformed lines are answered and skipped.
func (s *lineStream) ReadObject(v any) error {
	for {
		line, tooLong, err := s.readLine()
		if err != nil {
			return err
		}
		if tooLong > 0 {
			s.replyError(jsonrpc2.CodeInvalidRequest,
				fmt.Sprintf("request of %d bytes is over the limit of %d bytes (see --max-request-bytes)", tooLong, s.maxBytes))
			continue
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		if !json.Valid(line) || line[0] != '{' {
			s.replyError(jsonrpc2.CodeParseError, "not a JSON-RPC 2.0 object; send one JSON object per line")
			continue
		}
		if err := json.Unmarshal(line, v); err != nil {
			s.replyError(jsonrpc2.CodeInvalidRequest, "invalid JSON-RPC 2.0 message: "+err.Error())
			continue
		}
		return nil
	}
}

// readLine returns the next line, or, when it is over the limit, discards
// it and returns its length as tooLong.
func (s *lineStream) readLine() (line []byte, tooLong int, err error) {
	for {
		chunk, err := s.r.ReadSlice('\n')
		if len(line)+len(chunk) > s.maxBytes {
			n := len(line) + len(chunk)
			for errors.Is(err, bufio.ErrBufferFull) {
				chunk, err = s.r.ReadSlice('\n')
				n += len(chunk)
			}
			if err != nil && !(errors.Is(err, io.EOF) && n > 0) {
				return nil, 0, err
			}
			return nil, n, nil
		}
		line = append(line, chunk...)
		switch {
		case err == nil:
			return line, 0, nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && len(line) > 0:
			return line, 0, nil
		default:
			return nil, 0, err
		}
	}
}

func (s *lineStream) replyError(code int64, msg string) {
	_ = s.WriteObject(map[string]any{
		"jsonrpc": "2.0",
		"id":      nil,
		"error":   map[string]any{"code": code, "message": msg},
	})
}

// Close implements jsonrpc2.ObjectStream.
func (s *lineStream) Close() error { return s.conn.Close() }

var _ jsonrpc2.ObjectStream = (*lineStream)(nil)
