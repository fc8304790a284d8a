package leanrpc

import (
	"encoding/json"
	"strings"
	"unicode/utf16"
)

// LSP and Lean methods this package speaks (lean-lsp.md §3, §4, §6).
const (
	MethodInitialize         = "initialize"
	MethodInitialized        = "initialized"
	MethodShutdown           = "shutdown"
	MethodExit               = "exit"
	MethodDidOpen            = "textDocument/didOpen"
	MethodDidChange          = "textDocument/didChange"
	MethodDidClose           = "textDocument/didClose"
	MethodWaitForDiagnostics = "textDocument/waitForDiagnostics"
	MethodPlainGoal          = "$/lean/plainGoal"
	MethodCancelRequest      = "$/cancelRequest"
	MethodPublishDiagnostics = "textDocument/publishDiagnostics"
	MethodFileProgress       = "$/lean/fileProgress"
	MethodRegisterCapability = "client/registerCapability"
)

// JSON-RPC error codes Lean uses (lean-lsp.md §2.4).
const (
	CodeInvalidRequest   = -32600
	CodeMethodNotFound   = -32601
	CodeInvalidParams    = -32602
	CodeInternalError    = -32603
	CodeRequestCancelled = -32800
	CodeContentModified  = -32801
	CodeRpcNeedsReconn   = -32900
	CodeWorkerExited     = -32901
	CodeWorkerCrashed    = -32902
)

// Severities of diagnostics.
const (
	SeverityError       = 1
	SeverityWarning     = 2
	SeverityInformation = 3
	SeverityHint        = 4
)

// Lean's diagnostic tags (leanTags, ≥ v4.19).
const (
	LeanTagUnsolvedGoals     = 1
	LeanTagGoalsAccomplished = 2
)

// Progress kinds of $/lean/fileProgress.
const (
	ProgressProcessing = 1
	ProgressFatalError = 2
)

// Position is an LSP position: 0-based line, character in UTF-16 units.
type Position struct {
	Line      int `json:"line"`
	Character int `json:"character"`
}

// Less orders positions.
func (p Position) Less(q Position) bool {
	return p.Line < q.Line || (p.Line == q.Line && p.Character < q.Character)
}

// Range is a half-open LSP range.
type Range struct {
	Start Position `json:"start"`
	End   Position `json:"end"`
}

// Diagnostic is one entry of publishDiagnostics (lean-lsp.md §5.1).
type Diagnostic struct {
	Range Range `json:"range"`
	// FullRange is Lean's untruncated range; Range is cut after the first
	// line of a multi-line message. Use Span.
	FullRange *Range          `json:"fullRange,omitempty"`
	Severity  int             `json:"severity,omitempty"`
	Source    string          `json:"source,omitempty"`
	Message   string          `json:"message"`
	Code      json.RawMessage `json:"code,omitempty"` // string or number (named errors, ≥ v4.22)
	Tags      []int           `json:"tags,omitempty"`
	LeanTags  []int           `json:"leanTags,omitempty"`
	IsSilent  bool            `json:"isSilent,omitempty"`
}

// Span is the range to attribute the diagnostic to source: fullRange when
// Lean sent it, else range.
func (d *Diagnostic) Span() Range {
	if d.FullRange != nil {
		return *d.FullRange
	}
	return d.Range
}

// HasLeanTag reports whether the diagnostic carries the tag.
func (d *Diagnostic) HasLeanTag(tag int) bool {
	for _, t := range d.LeanTags {
		if t == tag {
			return true
		}
	}
	return false
}

// IsUnsolvedGoals recognizes Lean's "unsolved goals" error by tag or text.
func (d *Diagnostic) IsUnsolvedGoals() bool {
	return d.Severity == SeverityError && (d.HasLeanTag(LeanTagUnsolvedGoals) || strings.HasPrefix(d.Message, "unsolved goals"))
}

// IsTimeout recognizes heartbeat and kernel timeouts in any Lean version's
// wording.
func (d *Diagnostic) IsTimeout() bool {
	return strings.Contains(d.Message, "(deterministic) timeout") || strings.Contains(d.Message, "deterministic timeout")
}

// IsSorryWarning recognizes "declaration uses 'sorry'".
func (d *Diagnostic) IsSorryWarning() bool {
	return d.Severity == SeverityWarning && strings.Contains(d.Message, "declaration uses 'sorry'")
}

// IsParseError recognizes parser errors ("unexpected token …; expected …").
func (d *Diagnostic) IsParseError() bool {
	return d.Severity == SeverityError && (strings.HasPrefix(d.Message, "unexpected ") || strings.HasPrefix(d.Message, "expected "))
}

// PublishDiagnosticsParams is the payload of textDocument/publishDiagnostics.
type PublishDiagnosticsParams struct {
	URI           string       `json:"uri"`
	Version       *int         `json:"version,omitempty"`
	Diagnostics   []Diagnostic `json:"diagnostics"`
	IsIncremental bool         `json:"isIncremental,omitempty"`
}

// VersionedTextDocumentIdentifier names a document version.
type VersionedTextDocumentIdentifier struct {
	URI     string `json:"uri"`
	Version int    `json:"version"`
}

// TextDocumentIdentifier names a document.
type TextDocumentIdentifier struct {
	URI string `json:"uri"`
}

// FileProgressParams is the payload of $/lean/fileProgress.
type FileProgressParams struct {
	TextDocument VersionedTextDocumentIdentifier `json:"textDocument"`
	Processing   []ProcessingInfo                `json:"processing"`
}

// ProcessingInfo is one range still being processed. A missing kind means 1.
type ProcessingInfo struct {
	Range Range `json:"range"`
	Kind  int   `json:"kind,omitempty"`
}

// TextDocumentItem is the document of didOpen.
type TextDocumentItem struct {
	URI        string `json:"uri"`
	LanguageID string `json:"languageId"`
	Version    int    `json:"version"`
	Text       string `json:"text"`
}

// DidOpenParams carries Lean's dependencyBuildMode extension.
type DidOpenParams struct {
	TextDocument        TextDocumentItem `json:"textDocument"`
	DependencyBuildMode string           `json:"dependencyBuildMode,omitempty"`
}

// ContentChange is a full replacement (Range nil) or a range edit.
type ContentChange struct {
	Range *Range `json:"range,omitempty"`
	Text  string `json:"text"`
}

// DidChangeParams is the payload of didChange.
type DidChangeParams struct {
	TextDocument   VersionedTextDocumentIdentifier `json:"textDocument"`
	ContentChanges []ContentChange                 `json:"contentChanges"`
}

// DidCloseParams is the payload of didClose.
type DidCloseParams struct {
	TextDocument TextDocumentIdentifier `json:"textDocument"`
}

// WaitForDiagnosticsParams: note uri at top level.
type WaitForDiagnosticsParams struct {
	URI     string `json:"uri"`
	Version int    `json:"version"`
}

// PlainGoalParams is a text document position.
type PlainGoalParams struct {
	TextDocument TextDocumentIdentifier `json:"textDocument"`
	Position     Position               `json:"position"`
}

// PlainGoal is the result of $/lean/plainGoal when not null.
type PlainGoal struct {
	Rendered string   `json:"rendered"`
	Goals    []string `json:"goals"`
}

// InitializeParams is what the client sends (lean-lsp.md §3.1, §10.1).
type InitializeParams struct {
	ProcessID             int             `json:"processId,omitempty"`
	ClientInfo            *ClientInfo     `json:"clientInfo,omitempty"`
	RootURI               string          `json:"rootUri,omitempty"`
	InitializationOptions json.RawMessage `json:"initializationOptions,omitempty"`
	Capabilities          json.RawMessage `json:"capabilities"`
}

// ClientInfo names the client.
type ClientInfo struct {
	Name    string `json:"name"`
	Version string `json:"version,omitempty"`
}

// InitializeResult is the server's answer; only serverInfo is read.
type InitializeResult struct {
	Capabilities json.RawMessage `json:"capabilities"`
	ServerInfo   *struct {
		Name    string `json:"name"`
		Version string `json:"version,omitempty"`
	} `json:"serverInfo,omitempty"`
}

// CancelParams is the payload of $/cancelRequest.
type CancelParams struct {
	ID json.RawMessage `json:"id"`
}

// UTF16Len is the length of s in UTF-16 code units, the unit of
// Position.Character.
func UTF16Len(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// EndOfText is the position just after the last character of text.
func EndOfText(text string) Position {
	line := strings.Count(text, "\n")
	last := text[strings.LastIndexByte(text, '\n')+1:]
	return Position{Line: line, Character: UTF16Len(last)}
}
