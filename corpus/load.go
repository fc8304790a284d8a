package corpus

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"unicode/utf8"
)

// Options control Load.
type Options struct {
	// SkipBad skips malformed records, counting them in LoadResult.Skipped,
	// instead of failing on the first one.
	SkipBad bool
}

// LoadResult is what Load read from one file.
type LoadResult struct {
	Theorems []Theorem
	Skipped  int    // malformed records skipped under Options.SkipBad
	Format   string // "leandojo" or "jsonl-pairs" or "jsonl-theorems"
	// Duplicates counts the theorems LoadFiles dropped because an earlier
	// file already held them (see LoadFiles).
	Duplicates int
}

// Load reads one trace file: LeanDojo Benchmark 4 JSON (an array of theorem
// records, one record, or an object mapping names to records), JSON lines of
// theorem records, or JSON lines of step pairs
// ({"theorem", "file", "state_before", "tactic", "state_after", "premises"};
// consecutive lines of one theorem become its steps in order).
func Load(path string, opts Options) (*LoadResult, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load traces: %w", err)
	}
	defer f.Close()
	return LoadReader(path, f, opts)
}

// LoadFiles loads several files and concatenates their theorems. A theorem
// that an earlier file already held is dropped and counted in Duplicates:
// traces of two Mathlib commits share theorems (16 of the shared LeanDojo
// files' do, some moved to another file between the commits), and a rate or
// a count over theorems must not count one twice. The earlier file's record
// is the one kept, so the order of paths decides. Within one file nothing
// is dropped: two records of one name there are two theorems (private ones
// of different source files), as Load keeps them.
func LoadFiles(paths []string, opts Options) (*LoadResult, error) {
	all := &LoadResult{}
	seen := map[string]bool{}
	for _, p := range paths {
		r, err := Load(p, opts)
		if err != nil {
			return nil, err
		}
		for _, th := range r.Theorems {
			if seen[th.identity()] {
				all.Duplicates++
				continue
			}
			all.Theorems = append(all.Theorems, th)
		}
		for _, th := range r.Theorems {
			seen[th.identity()] = true
		}
		all.Skipped += r.Skipped
		all.Format = r.Format
	}
	return all, nil
}

// LoadReader is Load for an open reader; name is used in errors.
func LoadReader(name string, r io.Reader, opts Options) (*LoadResult, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	l := &loader{name: name, opts: opts, res: &LoadResult{}}
	// Drop a UTF-8 byte-order mark from the data itself, not only from the
	// sniffed prefix: encoding/json rejects it.
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if bytes.HasPrefix(data, []byte{0xff, 0xfe}) || bytes.HasPrefix(data, []byte{0xfe, 0xff}) {
		return nil, fmt.Errorf("%s: UTF-16 text, want UTF-8 (convert it, e.g. iconv -f UTF-16 -t UTF-8): %w", name, ErrUnknownFormat)
	}
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	switch {
	case len(trimmed) == 0:
		return nil, fmt.Errorf("%s: empty file: %w", name, ErrUnknownFormat)
	case trimmed[0] == '[':
		err = l.array(data)
	case trimmed[0] == '{':
		if isJSONLines(trimmed) {
			err = l.lines(data)
		} else {
			err = l.object(data)
		}
	default:
		return nil, fmt.Errorf("%s: starts with %q, want a JSON array or object (LeanDojo Benchmark 4) or JSON lines: %w",
			name, trimmed[0], ErrUnknownFormat)
	}
	if err != nil {
		return nil, err
	}
	if len(l.res.Theorems) == 0 && l.res.Skipped > 0 {
		// Skipping every record is not a load: the file is not what it
		// seems (cut short in its first record, another format).
		return nil, fmt.Errorf("%s: no usable records, all %d malformed; the first: %w", l.name, l.res.Skipped, l.firstBad)
	}
	return l.res, nil
}

type loader struct {
	name     string
	opts     Options
	res      *LoadResult
	firstBad error // the first record skipped under SkipBad
}

// bad reports a malformed record: an error, or a count under SkipBad.
func (l *loader) bad(where string, err error) error {
	if l.opts.SkipBad {
		if l.res.Skipped == 0 {
			l.firstBad = fmt.Errorf("%s: %w", where, err)
		}
		l.res.Skipped++
		return nil
	}
	return fmt.Errorf("%s: %s: %w (use --skip-bad to skip such records)", l.name, where, err)
}

// array reads a JSON array of theorem records one record at a time, so
// that a record that does not parse is named by its index and line (in a
// one-line file, by its byte offset too).
func (l *loader) array(data []byte) error {
	l.res.Format = "leandojo"
	dec := json.NewDecoder(bytes.NewReader(data))
	if _, err := dec.Token(); err != nil { // the opening bracket
		return fmt.Errorf("%s: %s: %w", l.name, describeJSONError(data, err), ErrMalformed)
	}
	i := 0
	for ; dec.More(); i++ {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return l.unreadable(data, dec, i, err)
		}
		th, err := decodeTheorem(raw, "")
		if err != nil {
			if err := l.bad(fmt.Sprintf("record %d%s", i, nameHint(raw)), err); err != nil {
				return err
			}
			continue
		}
		l.res.Theorems = append(l.res.Theorems, th)
	}
	if _, err := dec.Token(); err == io.EOF { // the closing bracket
		// The file ends after a whole record, with no comma promising
		// another: there is no record i to name. SkipBad keeps the records
		// read and counts the cut.
		where := "before its first record"
		if i > 0 {
			where = fmt.Sprintf("after record %d", i-1)
		}
		return l.bad(where, fmt.Errorf("the file ends there, without the array's closing ]: it was cut short: %w", ErrMalformed))
	} else if err != nil {
		return l.unreadable(data, dec, i, err)
	}
	if tok, err := dec.Token(); err != io.EOF {
		if err == nil {
			err = fmt.Errorf("unexpected %v", tok)
		}
		return fmt.Errorf("%s: after the array: %s: %w", l.name, describeJSONError(data, err), ErrMalformed)
	}
	return nil
}

// unreadable reports record i, which the decoder could not read. Nothing
// after it can be read either. A file that ends inside it was cut short:
// the records before it are whole, so SkipBad keeps them and counts the
// cut one. Any other syntax error is an error even under SkipBad, since
// the records after it would be lost without a count.
func (l *loader) unreadable(data []byte, dec *json.Decoder, i int, err error) error {
	offset := dec.InputOffset()
	var se *json.SyntaxError
	if errors.As(err, &se) {
		offset = se.Offset
	} else {
		// The decoder stopped after the previous record: name where
		// this one starts.
		for offset < int64(len(data)) && bytes.IndexByte([]byte(", \t\r\n"), data[offset]) >= 0 {
			offset++
		}
	}
	offset = min(offset, int64(len(data)))
	where := fmt.Sprintf("record %d (line %d, byte %d)", i, 1+bytes.Count(data[:offset], []byte("\n")), offset)
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return l.bad(where, fmt.Errorf("the file ends inside it, it was cut short: %w", ErrMalformed))
	}
	return fmt.Errorf("%s: %s: %v: %w", l.name, where, err, ErrMalformed)
}

func (l *loader) object(data []byte) error {
	l.res.Format = "leandojo"
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(data, &obj); err != nil {
		hint := ""
		if severalValues(data) {
			// What jq '.[]' writes without -c.
			hint = " (the file holds several multi-line JSON values; JSON lines need one record per line, as jq -c writes them)"
		}
		return fmt.Errorf("%s: %s%s: %w", l.name, describeJSONError(data, err), hint, ErrMalformed)
	}
	switch kindOf(obj) {
	case kindPair:
		// One step pair alone: a JSON-lines file of one line, once
		// compacted (jq . writes it over several lines, which the lines
		// reader would read as several broken records).
		var one bytes.Buffer
		if err := json.Compact(&one, data); err != nil {
			return fmt.Errorf("%s: %s: %w", l.name, describeJSONError(data, err), ErrMalformed)
		}
		return l.lines(one.Bytes())
	case kindTheorem:
		th, err := decodeTheorem(data, "")
		if err != nil {
			return l.bad("record 0"+nameHint(data), err)
		}
		l.res.Theorems = append(l.res.Theorems, th)
		return nil
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		th, err := decodeTheorem(obj[k], k)
		if err != nil {
			if err := l.bad(fmt.Sprintf("record %q", k), err); err != nil {
				return err
			}
			continue
		}
		l.res.Theorems = append(l.res.Theorems, th)
	}
	return nil
}

func (l *loader) lines(data []byte) error {
	index := map[string]int{} // theorem key → index in res.Theorems, for pairs
	for n, line := range bytes.Split(data, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		where := fmt.Sprintf("line %d", n+1)
		var keys map[string]json.RawMessage
		if err := json.Unmarshal(line, &keys); err != nil {
			if err := l.bad(where, fmt.Errorf("%v: %w", err, ErrMalformed)); err != nil {
				return err
			}
			continue
		}
		if kindOf(keys) != kindPair {
			l.res.Format = "jsonl-theorems"
			th, err := decodeTheorem(line, "")
			if err != nil {
				if err := l.bad(where+nameHint(line), err); err != nil {
					return err
				}
				continue
			}
			l.res.Theorems = append(l.res.Theorems, th)
			continue
		}
		l.res.Format = "jsonl-pairs"
		p, err := decodePair(line)
		if err != nil {
			if err := l.bad(where+nameHint(line), err); err != nil {
				return err
			}
			continue
		}
		// Lines of one theorem need not be consecutive: steps are appended
		// to the theorem's record in file order.
		key := p.File + "\x00" + p.Theorem
		i, seen := index[key]
		if !seen {
			i = len(l.res.Theorems)
			index[key] = i
			l.res.Theorems = append(l.res.Theorems, Theorem{FullName: p.Theorem, FilePath: p.File})
		}
		l.res.Theorems[i].Steps = append(l.res.Theorems[i].Steps, p.step())
	}
	if l.res.Format == "" && l.res.Skipped == 0 {
		return fmt.Errorf("%s: no records: %w", l.name, ErrUnknownFormat)
	}
	return nil
}

// dojoTheorem is a LeanDojo Benchmark 4 theorem record; "steps" (this
// package's own export) is accepted in place of "traced_tactics".
type dojoTheorem struct {
	URL           string     `json:"url"`
	Commit        string     `json:"commit"`
	FilePath      string     `json:"file_path"`
	FullName      string     `json:"full_name"`
	Statement     string     `json:"statement"`
	Start         [2]int     `json:"start"`
	End           [2]int     `json:"end"`
	TracedTactics []dojoStep `json:"traced_tactics"`
	Steps         []dojoStep `json:"steps"`
}

type dojoStep struct {
	Tactic      string            `json:"tactic"`
	Annotated   []json.RawMessage `json:"annotated_tactic"`
	StateBefore *string           `json:"state_before"`
	StateAfter  *string           `json:"state_after"`
	Premises    []Premise         `json:"premises"`
}

// decodeTheorem decodes one theorem record; defaultName names a record
// without full_name (the key of an object of records).
func decodeTheorem(raw []byte, defaultName string) (Theorem, error) {
	if err := checkUTF8(raw); err != nil {
		return Theorem{}, err
	}
	var d dojoTheorem
	if err := json.Unmarshal(raw, &d); err != nil {
		return Theorem{}, fmt.Errorf("%v: %w", err, ErrMalformed)
	}
	if d.FullName == "" {
		d.FullName = defaultName
	}
	if d.FullName == "" {
		return Theorem{}, fmt.Errorf("missing full_name: %w", ErrMalformed)
	}
	th := Theorem{FullName: d.FullName, FilePath: d.FilePath, Commit: d.Commit, URL: d.URL,
		Statement: d.Statement, Start: d.Start, End: d.End}
	steps := d.TracedTactics
	if steps == nil {
		steps = d.Steps
	}
	for i, ds := range steps {
		s, err := ds.step()
		if err != nil {
			return Theorem{}, fmt.Errorf("step %d: %w", i, err)
		}
		th.Steps = append(th.Steps, s)
	}
	return th, nil
}

func (d dojoStep) step() (Step, error) {
	switch {
	case NormalizeTactic(d.Tactic) == "":
		return Step{}, fmt.Errorf("empty tactic: %w", ErrMalformed)
	case d.StateBefore == nil || *d.StateBefore == "":
		return Step{}, fmt.Errorf("missing state_before: %w", ErrMalformed)
	case d.StateAfter == nil || *d.StateAfter == "":
		return Step{}, fmt.Errorf("missing state_after (use %q for a step that closes the proof): %w", NoGoals, ErrMalformed)
	}
	s := Step{Tactic: d.Tactic, StateBefore: *d.StateBefore, StateAfter: *d.StateAfter, Premises: d.Premises}
	if len(d.Annotated) > 0 {
		// ["text with <a>premises</a>", [{"full_name": …, "def_path": …}, …]]
		if len(d.Annotated) != 2 {
			return Step{}, fmt.Errorf("annotated_tactic has %d elements, want 2: %w", len(d.Annotated), ErrMalformed)
		}
		var ps []Premise
		if err := json.Unmarshal(d.Annotated[1], &ps); err != nil {
			return Step{}, fmt.Errorf("annotated_tactic premises: %v: %w", err, ErrMalformed)
		}
		if s.Premises == nil {
			s.Premises = ps
		}
	}
	return s, nil
}

// pair is one JSON-lines step record.
type pair struct {
	Theorem     string    `json:"theorem"`
	FullName    string    `json:"full_name"`
	File        string    `json:"file"`
	FilePath    string    `json:"file_path"`
	StateBefore *string   `json:"state_before"`
	Tactic      string    `json:"tactic"`
	StateAfter  *string   `json:"state_after"`
	Premises    []Premise `json:"premises"`

	s Step
}

func decodePair(raw []byte) (pair, error) {
	if err := checkUTF8(raw); err != nil {
		return pair{}, err
	}
	var p pair
	if err := json.Unmarshal(raw, &p); err != nil {
		return pair{}, fmt.Errorf("%v: %w", err, ErrMalformed)
	}
	if p.Theorem == "" {
		p.Theorem = p.FullName
	}
	if p.File == "" {
		p.File = p.FilePath
	}
	if p.Theorem == "" {
		return pair{}, fmt.Errorf("missing theorem name (\"theorem\" or \"full_name\"): %w", ErrMalformed)
	}
	s, err := dojoStep{Tactic: p.Tactic, StateBefore: p.StateBefore, StateAfter: p.StateAfter, Premises: p.Premises}.step()
	if err != nil {
		return pair{}, err
	}
	p.s = s
	return p, nil
}

func (p pair) step() Step { return p.s }

// nameHint returns " (Full.name)" when raw has a readable full_name.
func nameHint(raw []byte) string {
	var n struct {
		FullName string `json:"full_name"`
		Theorem  string `json:"theorem"`
	}
	if json.Unmarshal(raw, &n) != nil {
		return ""
	}
	if n.FullName == "" {
		n.FullName = n.Theorem
	}
	if n.FullName == "" {
		return ""
	}
	return " (" + n.FullName + ")"
}

// isJSONLines tells JSON lines from one object, compact or pretty-printed.
// A file that is one valid JSON value is one object (Load's object reader
// hands a lone step pair to the lines reader). Otherwise it is JSON lines
// when its first line is a complete value, or, when that line is broken,
// when every non-blank line starts a record: the later lines of a
// pretty-printed object start with a key or a closing brace instead.
func isJSONLines(data []byte) bool {
	if json.Valid(data) {
		return false
	}
	first, _, _ := bytes.Cut(data, []byte("\n"))
	if json.Valid(bytes.TrimSpace(first)) {
		return true
	}
	for line := range bytes.SplitSeq(data, []byte("\n")) {
		if line = bytes.TrimSpace(line); len(line) > 0 && line[0] != '{' {
			return false
		}
	}
	return true
}

type recordKind int

const (
	kindMap     recordKind = iota // an object mapping names to theorem records
	kindTheorem                   // one theorem record
	kindPair                      // one JSON-lines step pair
)

// kindOf says what the top-level keys of one JSON object make it. A
// record with a step's fields is a pair; one with full_name or a list of
// steps is a theorem (LeanDojo writes theorems with no tactic proof
// without traced_tactics).
func kindOf(keys map[string]json.RawMessage) recordKind {
	has := func(k string) bool { _, ok := keys[k]; return ok }
	switch {
	case has("traced_tactics") || has("steps"):
		return kindTheorem
	case has("tactic") || has("state_before") || has("state_after"):
		return kindPair
	case has("full_name"):
		return kindTheorem
	}
	return kindMap
}

// describeJSONError adds the line of a syntax error to its message.
func describeJSONError(data []byte, err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("line %d: %v", 1+bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n")), err)
	case errors.As(err, &te):
		return fmt.Sprintf("line %d: %v", 1+bytes.Count(data[:min(int(te.Offset), len(data))], []byte("\n")), err)
	}
	return err.Error()
}

// checkUTF8 rejects a record that is not UTF-8: encoding/json would turn
// each bad byte into U+FFFD without a word, changing the recorded goals and
// tactics (a Latin-1 file, or a file cut inside a character).
func checkUTF8(raw []byte) error {
	if utf8.Valid(raw) {
		return nil
	}
	at := 0
	for at < len(raw) {
		r, size := utf8.DecodeRune(raw[at:])
		if r == utf8.RuneError && size == 1 {
			break
		}
		at += size
	}
	return fmt.Errorf("invalid UTF-8 at byte %d of the record (trace files must be UTF-8): %w", at, ErrMalformed)
}

// severalValues reports whether data starts with a whole JSON value and
// goes on with another.
func severalValues(data []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(data))
	var first json.RawMessage
	if dec.Decode(&first) != nil {
		return false
	}
	_, err := dec.Token()
	return err != io.EOF
}
