package leanrpc

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/sourcegraph/jsonrpc2"
)

// FuzzDecodeMessage feeds arbitrary bytes through the client's decoding
// path: Content-Length framing, JSON-RPC message decoding, and the folding
// of publishDiagnostics / fileProgress into document state. Nothing may
// panic, and the state must keep its invariants (no diagnostics for a
// version older than the newest one sent).
func FuzzDecodeMessage(f *testing.F) {
	frame := func(body string) []byte {
		return []byte(fmt.Sprintf("Content-Length: %d\r\n\r\n%s", len(body), body))
	}
	for _, name := range []string{"E8", "E13", "E18", "E19"} {
		data, err := os.ReadFile(filepath.Join("testdata", "golden", name+".json"))
		if err != nil {
			f.Fatal(err)
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, data); err == nil {
			msg := `{"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":` + compact.String() + `}`
			f.Add(frame(msg))
		}
	}
	f.Add(frame(`{"jsonrpc":"2.0","method":"$/lean/fileProgress","params":{"textDocument":{"uri":"file:///incrementalTactic.lean","version":3},"processing":[{"range":{"start":{"line":0,"character":0},"end":{"line":9,"character":0}},"kind":2}]}}`))
	f.Add(frame(`{"jsonrpc":"2.0","id":"register_lean_watcher","method":"client/registerCapability","params":{}}`))
	f.Add([]byte("Content-Length: 5\r\nContent-Type: x\r\n\r\n{}"))
	f.Add([]byte("Content-Length: 99999999999\r\n\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		const uri = "file:///incrementalTactic.lean"
		c := &Conn{docs: map[string]*docState{uri: {}}, versions: map[string]int{uri: 2}}
		r := bufio.NewReader(bytes.NewReader(data))
		for i := 0; i < 8; i++ {
			var req jsonrpc2.Request
			if err := (jsonrpc2.VSCodeObjectCodec{}).ReadObject(r, &req); err != nil {
				break
			}
			if req.Params != nil {
				c.handleNotification(req.Method, *req.Params)
			}
		}
		d := c.docs[uri]
		if d.diagVersion != 0 && d.diagVersion < 2 {
			t.Fatalf("kept diagnostics of stale version %d", d.diagVersion)
		}
		if diags, ok := c.Diagnostics(uri, d.diagVersion); ok {
			for _, dg := range diags {
				_ = dg.Span()
				_ = dg.IsUnsolvedGoals() || dg.IsTimeout() || dg.IsParseError()
			}
			_ = classify(diags, layout{byPos: Position{2, 22}, steps: [][2]int{{4, 4}}})
		}
	})
}
