package leanrpctest

import (
	"errors"
	"strings"

	"github.com/leanprove/leanprove/leanrpc"
)

func asParseError(err error, target **leanrpc.ParseError) bool { return errors.As(err, target) }

// startElaboration begins elaborating the document's current version and
// publishes as the real server does (lean-lsp.md §10.3): a processing
// progress, possibly an empty or Lake information publish first, then —
// after the latency — "processing: []" and the final publish (in the
// quirky order unless Plain), then answers waitForDiagnostics.
func (s *Server) startElaboration(d *doc) {
	v, uri := d.version, d.uri
	e := elaborate(d.text, s.opts.Semantics, s.silent, s.opts.HeaderError, s.opts.ContextError)
	if e.exit {
		if s.opts.ExitProcess != nil {
			s.opts.ExitProcess()
		}
		s.stop()
		return
	}
	whole := leanrpc.Range{End: leanrpc.EndOfText(d.text)}
	s.progress(uri, v, []leanrpc.ProcessingInfo{{Range: whole, Kind: leanrpc.ProgressProcessing}})
	if !s.opts.Plain {
		if d.lakeInfo {
			d.lakeInfo = false
			info := diag(leanrpc.SeverityInformation, "✔ [1/1] Built "+moduleName(uri), leanrpc.Position{}, whole.End)
			info.Range.End = leanrpc.Position{Line: 1}
			s.publish(uri, v, []leanrpc.Diagnostic{info})
		}
		s.publish(uri, v, []leanrpc.Diagnostic{})
	}
	if e.hang || d.stuck {
		d.stuck = s.opts.StickyHang
		return
	}
	s.after(s.opts.Latency, func() {
		if s.docs[uri] != d || d.version != v {
			return // superseded: the real worker never reports old versions
		}
		if e.crash != nil {
			s.crash(d, e.crash.CrashCode)
			return
		}
		switch {
		case s.opts.SkipFinalPublish:
			s.progress(uri, v, []leanrpc.ProcessingInfo{})
		case s.opts.Plain:
			s.publish(uri, v, e.diags)
			s.progress(uri, v, []leanrpc.ProcessingInfo{})
		case s.incremental && len(e.diags) > 1:
			// Incremental mode (≥ v4.31, lean-lsp.md §4.5): a replacing
			// publish, then the rest appended.
			half := len(e.diags) / 2
			s.progress(uri, v, []leanrpc.ProcessingInfo{})
			s.publishIncremental(uri, v, e.diags[:half], false)
			s.publishIncremental(uri, v, e.diags[half:], true)
		default:
			// The reporter sends "done" before its final publish when it
			// never blocked (lean-lsp.md §4.4).
			s.progress(uri, v, []leanrpc.ProcessingInfo{})
			s.publish(uri, v, e.diags)
		}
		if s.opts.InjectStale && v > 1 {
			bogus := diag(leanrpc.SeverityError, "stale diagnostic for an old version", leanrpc.Position{}, leanrpc.Position{})
			s.publish(uri, v-1, []leanrpc.Diagnostic{bogus})
			s.progress(uri, v-1, []leanrpc.ProcessingInfo{{Range: whole, Kind: leanrpc.ProgressFatalError}})
		}
		d.finished, d.elab = v, e
		kept := d.waits[:0]
		for _, w := range d.waits {
			if w.version <= v {
				s.reply(w.id, struct{}{})
			} else {
				kept = append(kept, w)
			}
		}
		d.waits = kept
	})
}

// crash simulates a file worker dying (lean-lsp.md §1.4): pending requests
// fail with -32901/-32902, a fatalError progress covers the file, and the
// document stays dead until the next didChange.
func (s *Server) crash(d *doc, exitCode int) {
	d.crashed = true
	s.stat(func(st *Stats) { st.Crashes++ })
	code, msg := int64(leanrpc.CodeWorkerCrashed), "Server process for "+d.uri+" crashed, likely due to a stack overflow or a bug."
	if exitCode == 1 {
		code, msg = leanrpc.CodeWorkerExited, "Server process for "+d.uri+" crashed, see stderr for exception."
	}
	for _, w := range d.waits {
		s.replyErr(w.id, code, msg)
	}
	d.waits = nil
	whole := leanrpc.Range{End: leanrpc.EndOfText(d.text)}
	s.progress(d.uri, d.version, []leanrpc.ProcessingInfo{{Range: whole, Kind: leanrpc.ProgressFatalError}})
}

func (s *Server) publish(uri string, version int, diags []leanrpc.Diagnostic) {
	if diags == nil {
		diags = []leanrpc.Diagnostic{}
	}
	s.notify(leanrpc.MethodPublishDiagnostics, leanrpc.PublishDiagnosticsParams{URI: uri, Version: &version, Diagnostics: diags})
}

func (s *Server) publishIncremental(uri string, version int, diags []leanrpc.Diagnostic, incremental bool) {
	s.notify(leanrpc.MethodPublishDiagnostics, leanrpc.PublishDiagnosticsParams{URI: uri, Version: &version,
		Diagnostics: diags, IsIncremental: incremental})
}

func (s *Server) progress(uri string, version int, processing []leanrpc.ProcessingInfo) {
	for i := range processing {
		if processing[i].Kind == 0 {
			processing[i].Kind = leanrpc.ProgressProcessing // Lean always sends kind
		}
	}
	s.notify(leanrpc.MethodFileProgress, leanrpc.FileProgressParams{
		TextDocument: leanrpc.VersionedTextDocumentIdentifier{URI: uri, Version: version}, Processing: processing})
}

func moduleName(uri string) string {
	name := uri[strings.LastIndexByte(uri, '/')+1:]
	return strings.TrimSuffix(name, ".lean")
}
