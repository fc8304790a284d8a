package leanrpc

import (
	"errors"
	"fmt"
)

// Sentinel errors. Callers test them with errors.Is; the wrapped messages
// name the file, line, tactic or command involved.
var (
	// ErrUnsafeTactic is wrapped by every sanitizer refusal, so a caller
	// that only cares "was it refused?" tests this one.
	ErrUnsafeTactic = errors.New("unsafe tactic")

	// The specific sanitizer refusals; each wraps ErrUnsafeTactic.
	ErrEmptyTactic   = fmt.Errorf("%w: empty", ErrUnsafeTactic)
	ErrTacticTooLong = fmt.Errorf("%w: too long", ErrUnsafeTactic)
	ErrMultiline     = fmt.Errorf("%w: more than one line", ErrUnsafeTactic)
	ErrSorry         = fmt.Errorf("%w: uses sorry, admit or stop", ErrUnsafeTactic)
	ErrNativeDecide  = fmt.Errorf("%w: uses native code (native_decide, +native, ofReduceBool) which is not allowed", ErrUnsafeTactic)
	ErrNewCommand    = fmt.Errorf("%w: ends the proof block or starts a new command", ErrUnsafeTactic)
	ErrUnbalanced    = fmt.Errorf("%w: unbalanced brackets, string or comment", ErrUnsafeTactic)
	ErrBadCharacter  = fmt.Errorf("%w: invalid UTF-8 or control character", ErrUnsafeTactic)

	// ErrParse is wrapped by every *ParseError.
	ErrParse = errors.New("cannot parse Lean source")

	// ErrTheoremNotFound: FindTheorem found no declaration of that name.
	ErrTheoremNotFound = errors.New("theorem not found")

	// ErrNotLakeProject: the directory has neither lakefile.lean nor
	// lakefile.toml.
	ErrNotLakeProject = errors.New("not a Lake project")

	// ErrOutsideProject: a file is not inside the Lake project it was
	// meant to be proved in, so Lean would elaborate it against the wrong
	// dependencies.
	ErrOutsideProject = errors.New("file is outside the Lake project")

	// ErrLeanNotFound: neither lake nor lean is on PATH.
	ErrLeanNotFound = errors.New("Lean not found on PATH: install it with elan " +
		"(curl https://raw.githubusercontent.com/leanprover/elan/master/elan-init.sh -sSf | sh), " +
		"then run `lake build` in the project")

	// ErrServerExited: the language server process or connection is gone.
	ErrServerExited = errors.New("Lean server exited")

	// ErrHeader: the document header (imports) failed to elaborate, so no
	// tactic can be tried in it.
	ErrHeader = errors.New("document header failed")
)

// A ParseError says where a Lean source file could not be parsed.
type ParseError struct {
	Path string // file name as given; may be empty for ParseSource without a name
	Line int    // 1-based
	Col  int    // 1-based, in bytes
	Msg  string
}

func (e *ParseError) Error() string {
	path := e.Path
	if path == "" {
		path = "<source>"
	}
	return fmt.Sprintf("%s:%d:%d: %s", path, e.Line, e.Col, e.Msg)
}

// Unwrap makes errors.Is(err, ErrParse) hold.
func (e *ParseError) Unwrap() error { return ErrParse }
