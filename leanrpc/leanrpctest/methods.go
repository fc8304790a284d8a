package leanrpctest

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/sourcegraph/jsonrpc2"

	"github.com/leanprove/leanprove/leanrpc"
)

func decode[T any](req jsonrpc2.Request) (T, bool) {
	var v T
	if req.Params == nil {
		return v, false
	}
	return v, json.Unmarshal(*req.Params, &v) == nil
}

func (s *Server) notification(method string, req jsonrpc2.Request) {
	switch method {
	case leanrpc.MethodInitialized:
		s.phase = 2
		s.stat(func(st *Stats) { st.Initialized = true })
		// The watchdog registers a file watcher (lean-lsp.md §3.3).
		go s.register()
	case leanrpc.MethodDidOpen:
		p, ok := decode[leanrpc.DidOpenParams](req)
		if !ok {
			s.violation("didOpen: cannot parse params %s", *req.Params)
			return
		}
		uri := p.TextDocument.URI
		if d := s.docs[uri]; d != nil {
			s.violation("didOpen of %s, which is already open: the real watchdog leaks a worker", uri)
		}
		d := &doc{uri: uri, version: p.TextDocument.Version, text: p.TextDocument.Text, lakeInfo: !s.opts.Plain}
		s.docs[uri] = d
		s.stat(func(st *Stats) { st.Opens++ })
		s.startElaboration(d)
	case leanrpc.MethodDidChange:
		p, ok := decode[leanrpc.DidChangeParams](req)
		if !ok {
			s.violation("didChange: cannot parse params %s", *req.Params)
			return
		}
		d := s.docs[p.TextDocument.URI]
		if d == nil {
			return // discarded, like the real server
		}
		if len(p.ContentChanges) == 0 {
			return // no new version (lean-lsp.md §4.2)
		}
		if p.TextDocument.Version <= d.version {
			s.violation("didChange of %s to version %d after version %d: versions must increase",
				d.uri, p.TextDocument.Version, d.version)
		}
		text, err := applyChanges(d.text, p.ContentChanges)
		if err != nil {
			s.violation("didChange of %s: %v", d.uri, err)
			return
		}
		d.text, d.version = text, p.TextDocument.Version
		s.stat(func(st *Stats) { st.Changes++ })
		if d.crashed {
			// Only didChange revives a crashed worker (lean-lsp.md §1.4).
			d.crashed = false
			s.stat(func(st *Stats) { st.Revivals++ })
			held := s.heldCrashed[d.uri]
			delete(s.heldCrashed, d.uri)
			s.startElaboration(d)
			for _, h := range held {
				h.run()
			}
			return
		}
		s.startElaboration(d)
	case leanrpc.MethodDidClose:
		p, ok := decode[leanrpc.DidCloseParams](req)
		if !ok {
			return
		}
		d := s.docs[p.TextDocument.URI]
		if d == nil {
			return
		}
		delete(s.docs, d.uri)
		s.stat(func(st *Stats) { st.Closes++ })
		msg := "The file worker for " + d.uri + " has been terminated. Either the header has changed, or the file was closed,  or the server is shutting down."
		for _, w := range d.waits {
			s.replyErr(w.id, leanrpc.CodeContentModified, msg)
		}
		for _, h := range s.heldCrashed[d.uri] {
			s.replyErr(h.id, leanrpc.CodeContentModified, msg)
		}
		delete(s.heldCrashed, d.uri)
		s.notify(leanrpc.MethodPublishDiagnostics, map[string]any{"uri": d.uri, "diagnostics": []any{}})
	case leanrpc.MethodCancelRequest:
		var p struct {
			ID any `json:"id"`
		}
		if req.Params != nil {
			_ = json.Unmarshal(*req.Params, &p)
		}
		id := fmt.Sprint(p.ID)
		s.stat(func(st *Stats) { st.Cancels++; st.CancelledIDs = append(st.CancelledIDs, id) })
		// A held waitForDiagnostics answers RequestCancelled (≥ v4.18).
		for _, d := range s.docs {
			for i, w := range d.waits {
				if w.id.Str == id || (!w.id.IsString && w.id.String() == id) {
					s.replyErr(w.id, leanrpc.CodeRequestCancelled, "")
					d.waits = append(d.waits[:i], d.waits[i+1:]...)
					return
				}
			}
		}
	case leanrpc.MethodExit:
		s.violation("exit before shutdown")
		s.stop()
	}
}

func (s *Server) register() {
	var res json.RawMessage
	id := jsonrpc2.ID{Str: "register_lean_watcher", IsString: true}
	params := map[string]any{"registrations": []any{map[string]any{
		"id": "lean_watcher", "method": "workspace/didChangeWatchedFiles",
		"registerOptions": map[string]any{"watchers": []any{
			map[string]any{"globPattern": "**/*.lean"}, map[string]any{"globPattern": "**/*.ilean"}}}}}}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	go func() {
		select {
		case <-s.done:
			cancel()
		case <-ctx.Done():
		}
	}()
	if err := s.conn.Call(ctx, leanrpc.MethodRegisterCapability, params, &res, jsonrpc2.PickID(id)); err == nil {
		s.stat(func(st *Stats) { st.RegisterAnswered = true })
	}
}

func (s *Server) request(method string, req jsonrpc2.Request) {
	switch method {
	case leanrpc.MethodInitialize:
		var p struct {
			Capabilities struct {
				Lean struct {
					Silent      bool `json:"silentDiagnosticSupport"`
					Incremental bool `json:"incrementalDiagnosticSupport"`
				} `json:"lean"`
			} `json:"capabilities"`
		}
		if req.Params != nil {
			_ = json.Unmarshal(*req.Params, &p)
		}
		s.silent = p.Capabilities.Lean.Silent
		s.incremental = p.Capabilities.Lean.Incremental
		s.phase = 1
		s.reply(req.ID, initializeResult)
	case leanrpc.MethodShutdown:
		s.phase = 3
		s.stat(func(st *Stats) { st.ShutdownSeen = true })
		s.reply(req.ID, nil)
	case leanrpc.MethodWaitForDiagnostics:
		p, ok := decode[leanrpc.WaitForDiagnosticsParams](req)
		if !ok {
			s.replyErr(req.ID, leanrpc.CodeInvalidParams, "Cannot parse request params: "+string(*req.Params))
			return
		}
		s.stat(func(st *Stats) { st.Waits++ })
		s.withDoc(req, p.URI, func(d *doc) {
			if d.finished >= p.Version && d.finished == d.version {
				s.reply(req.ID, struct{}{})
				return
			}
			// Held until that version (or a later one) has finished.
			d.waits = append(d.waits, pendingWait{id: req.ID, version: p.Version})
		})
	case leanrpc.MethodPlainGoal:
		p, ok := decode[leanrpc.PlainGoalParams](req)
		if !ok {
			s.replyErr(req.ID, leanrpc.CodeInvalidParams, "Cannot parse request params: "+string(*req.Params))
			return
		}
		s.stat(func(st *Stats) { st.Goals++ })
		s.withDoc(req, p.TextDocument.URI, func(d *doc) {
			if d.elab == nil || d.finished != d.version {
				// Before elaboration produced info: null (lean-lsp.md §6.1).
				s.reply(req.ID, nil)
				return
			}
			if s.opts.FileChangedOnce && !s.fileChangedSent {
				// A request overtaken by an edit (lean-lsp.md §8).
				s.fileChangedSent = true
				s.replyErr(req.ID, leanrpc.CodeContentModified, "File changed.")
				return
			}
			s.reply(req.ID, d.elab.goalAt(p.Position))
		})
	default:
		s.replyErr(req.ID, leanrpc.CodeMethodNotFound, "No request handler found for '"+method+"'")
	}
}

// withDoc runs f for an open, live document; requests to a closed file get
// ContentModified, requests to a crashed one wait for its revival.
func (s *Server) withDoc(req jsonrpc2.Request, uri string, f func(*doc)) {
	d := s.docs[uri]
	if d == nil {
		s.replyErr(req.ID, leanrpc.CodeContentModified, "Cannot process request to closed file '"+uri+"'")
		return
	}
	if d.crashed {
		s.heldCrashed[uri] = append(s.heldCrashed[uri], heldRequest{id: req.ID, run: func() {
			if d2 := s.docs[uri]; d2 != nil {
				f(d2)
			}
		}})
		return
	}
	f(d)
}
