package corpus_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/leanprove/leanprove/corpus"
)

func TestLoadFormats(t *testing.T) {
	tests := []struct {
		file      string
		format    string
		theorems  []string
		steps     int
		premises0 []string // premises of the first theorem's last step
	}{
		{"dojo.json", "leandojo", []string{"Foo.add_zero'", "Foo.empty", "Bar.and_swap"}, 5, []string{"Nat.add_zero"}},
		{"pairs.jsonl", "jsonl-pairs", []string{"T.one", "T.two"}, 4, nil},
		{"single.json", "leandojo", []string{"Single.rec"}, 1, nil},
		{"map.json", "leandojo", []string{"Map.a", "Map.b"}, 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			res, err := corpus.Load(filepath.Join("testdata", tt.file), corpus.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Format != tt.format {
				t.Errorf("format %q, want %q", res.Format, tt.format)
			}
			var names []string
			for _, th := range res.Theorems {
				names = append(names, th.FullName)
			}
			if strings.Join(names, ",") != strings.Join(tt.theorems, ",") {
				t.Errorf("theorems %v, want %v", names, tt.theorems)
			}
			if n := corpus.CountSteps(res.Theorems); n != tt.steps {
				t.Errorf("steps %d, want %d", n, tt.steps)
			}
			if tt.premises0 != nil {
				steps := res.Theorems[0].Steps
				var got []string
				for _, p := range steps[len(steps)-1].Premises {
					got = append(got, p.FullName)
				}
				if strings.Join(got, ",") != strings.Join(tt.premises0, ",") {
					t.Errorf("premises %v, want %v", got, tt.premises0)
				}
			}
		})
	}
}

func TestLoadPairsKeepsStepOrderAndFile(t *testing.T) {
	res, err := corpus.Load(filepath.Join("testdata", "pairs.jsonl"), corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	two := res.Theorems[1]
	if two.FilePath != "A.lean" || len(two.Steps) != 3 {
		t.Fatalf("T.two = %+v", two)
	}
	want := []string{"constructor", "rfl", "trivial"}
	for i, s := range two.Steps {
		if s.Tactic != want[i] {
			t.Errorf("step %d tactic %q, want %q", i, s.Tactic, want[i])
		}
	}
	if !two.Steps[2].Proved() || two.Steps[1].Proved() {
		t.Error("Proved() wrong")
	}
}

func TestLoadMalformed(t *testing.T) {
	tests := []struct {
		file       string
		wantInErr  []string
		skipped    int
		keptOnSkip int
	}{
		{"bad.json", []string{"bad.json", "record 1", "Bad.missing_state", "state_before", "--skip-bad"}, 1, 2},
		{"bad.jsonl", []string{"bad.jsonl", "line 2"}, 1, 2},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			path := filepath.Join("testdata", tt.file)
			_, err := corpus.Load(path, corpus.Options{})
			if !errors.Is(err, corpus.ErrMalformed) {
				t.Fatalf("err = %v, want ErrMalformed", err)
			}
			for _, w := range tt.wantInErr {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
			res, err := corpus.Load(path, corpus.Options{SkipBad: true})
			if err != nil {
				t.Fatal(err)
			}
			if res.Skipped != tt.skipped || len(res.Theorems) != tt.keptOnSkip {
				t.Errorf("skipped %d kept %d, want %d and %d", res.Skipped, len(res.Theorems), tt.skipped, tt.keptOnSkip)
			}
		})
	}
}

func TestLoadUnusableFiles(t *testing.T) {
	tests := []struct {
		name, text string
		want       error
		mention    string
	}{
		{"empty.json", "  \n", corpus.ErrUnknownFormat, "empty"},
		{"text.txt", "theorem foo : True := trivial", corpus.ErrUnknownFormat, "starts with"},
		{"truncated.json", `[{"full_name": "x", "traced_tactics": [`, corpus.ErrMalformed, "line 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := corpus.LoadReader(tt.name, strings.NewReader(tt.text), corpus.Options{SkipBad: true})
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if !strings.Contains(err.Error(), tt.name) || !strings.Contains(err.Error(), tt.mention) {
				t.Errorf("error %q should name %s and say %q", err, tt.name, tt.mention)
			}
		})
	}
	if _, err := corpus.Load(filepath.Join("testdata", "nope.json"), corpus.Options{}); err == nil {
		t.Error("missing file loaded")
	}
}

func TestSplitIsByTheoremAndStable(t *testing.T) {
	var ths []corpus.Theorem
	for i := 0; i < 1000; i++ {
		ths = append(ths, corpus.Theorem{FullName: "Thm" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + strings.Repeat("y", i/26)})
	}
	train, dev := corpus.Split(ths, 20)
	if len(train)+len(dev) != len(ths) {
		t.Fatalf("split lost theorems")
	}
	if len(dev) < 120 || len(dev) > 280 {
		t.Errorf("dev has %d of 1000 at 20%%", len(dev))
	}
	// Reversed input gives the same membership.
	rev := make([]corpus.Theorem, len(ths))
	for i := range ths {
		rev[len(ths)-1-i] = ths[i]
	}
	_, dev2 := corpus.Split(rev, 20)
	inDev := map[string]bool{}
	for _, th := range dev {
		inDev[th.FullName] = true
	}
	for _, th := range dev2 {
		if !inDev[th.FullName] {
			t.Fatalf("%s changed sides when the order changed", th.FullName)
		}
	}
	if len(dev2) != len(dev) {
		t.Error("dev size depends on order")
	}
}

func TestSharedTracesLoad(t *testing.T) {
	dir := sharedTraces(t)
	res, err := corpus.Load(filepath.Join(dir, "mathlib-f8b56ceb-random-val.json"), corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Numbers from the README of the shared data.
	if len(res.Theorems) != 1992 || corpus.CountSteps(res.Theorems) != 2940 {
		t.Errorf("got %d theorems, %d steps; README says 1992 and 2940", len(res.Theorems), corpus.CountSteps(res.Theorems))
	}
}

// A byte-order mark (as some Windows editors write) must not hide the
// records: detection skipped it, and so must parsing.
func TestLoadSkipsByteOrderMark(t *testing.T) {
	step := `"state_before": "⊢ True", "tactic": "trivial", "state_after": "no goals"`
	tests := []struct{ name, text string }{
		{"array.json", `[{"full_name": "A.t", "traced_tactics": [{` + step + `}]}]`},
		{"one.json", "{\n" + `"full_name": "A.t", "traced_tactics": [{` + step + `}]}`},
		{"pairs.jsonl", `{"theorem": "A.t", ` + step + "}\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := corpus.LoadReader(tt.name, strings.NewReader("\ufeff"+tt.text), corpus.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Theorems) != 1 || res.Theorems[0].FullName != "A.t" || len(res.Theorems[0].Steps) != 1 {
				t.Errorf("theorems %+v, want A.t with one step", res.Theorems)
			}
		})
	}
}

// The layout is told by the whole file, not by its first line alone: a
// compact (one-line) object of records is one object, a lone step pair is
// JSON lines, and a JSON-lines file whose first line is broken is still
// JSON lines, so the error names that line and --skip-bad skips it.
func TestLoadTellsLayoutAndRecordKinds(t *testing.T) {
	step := `"state_before": "⊢ True", "tactic": "trivial", "state_after": "no goals"`
	tests := []struct {
		name, text string
		format     string
		theorems   string // names, comma-separated, under SkipBad
		steps      int
		skipped    int
		errMention string // without SkipBad; "" when it loads
	}{
		{"compact-map.json", `{"A.x": {"traced_tactics": [{` + step + `}]}, "A.y": {"traced_tactics": []}}` + "\n",
			"leandojo", "A.x,A.y", 1, 0, ""},
		{"one-pair.jsonl", `{"theorem": "P.one", ` + step + `}`, "jsonl-pairs", "P.one", 1, 0, ""},
		{"one-pair-newline.jsonl", `{"theorem": "P.one", ` + step + "}\n", "jsonl-pairs", "P.one", 1, 0, ""},
		// jq . of a one-pair file: one pair, pretty-printed.
		{"one-pair-pretty.json", "{\n  \"theorem\": \"P.one\",\n  " + strings.ReplaceAll(step, ", ", ",\n  ") + "\n}\n", "jsonl-pairs", "P.one", 1, 0, ""},
		{"broken-first.jsonl", `{"theorem": "P.broken", "state_bef` + "\n" + `{"theorem": "P.two", ` + step + "}\n",
			"jsonl-pairs", "P.two", 1, 1, "line 1"},
		{"two-on-a-line.jsonl", `{"theorem": "P.a", ` + step + `} {"theorem": "P.b", ` + step + "}\n" + `{"theorem": "P.c", ` + step + "}\n",
			"jsonl-pairs", "P.c", 1, 1, "line 1"},
		// LeanDojo writes a theorem without a tactic proof with no
		// traced_tactics at all; as a JSON line it is a theorem, not a pair.
		{"no-traced-tactics.jsonl", `{"full_name": "T.term", "file_path": "A.lean"}` + "\n" + `{"full_name": "T.a", "traced_tactics": [{` + step + "}]}\n",
			"jsonl-theorems", "T.term,T.a", 1, 0, ""},
		{"pretty-broken.json", "{\n  \"full_name\": \"A.t\",\n  \"traced_tactics\": [}\n}\n", "", "", 0, 0, "line 3"},
		// jq '.[]' without -c: several pretty-printed records, one after another.
		{"pretty-stream.jsonl", "{\n  \"full_name\": \"A.t\"\n}\n{\n  \"full_name\": \"A.u\"\n}\n", "", "", 0, 0, "jq -c"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := corpus.LoadReader(tt.name, strings.NewReader(tt.text), corpus.Options{})
			switch {
			case tt.errMention == "" && err != nil:
				t.Fatalf("load: %v", err)
			case tt.errMention != "" && (err == nil || !strings.Contains(err.Error(), tt.errMention) || !strings.Contains(err.Error(), tt.name)):
				t.Fatalf("error %v, want one naming %s and %q", err, tt.name, tt.errMention)
			}
			if tt.format == "" {
				return
			}
			res, err := corpus.LoadReader(tt.name, strings.NewReader(tt.text), corpus.Options{SkipBad: true})
			if err != nil {
				t.Fatalf("load --skip-bad: %v", err)
			}
			var names []string
			for _, th := range res.Theorems {
				names = append(names, th.FullName)
			}
			if res.Format != tt.format || strings.Join(names, ",") != tt.theorems ||
				corpus.CountSteps(res.Theorems) != tt.steps || res.Skipped != tt.skipped {
				t.Errorf("format %q theorems %v steps %d skipped %d; want %q %s %d %d",
					res.Format, names, corpus.CountSteps(res.Theorems), res.Skipped, tt.format, tt.theorems, tt.steps, tt.skipped)
			}
		})
	}
}

// Bytes that are not UTF-8 would reach the goals and tactics as U+FFFD
// without a word: such a record is malformed (skipped under SkipBad), and
// a UTF-16 file is named as such.
func TestLoadRejectsNonUTF8(t *testing.T) {
	good := `{"theorem": "P.good", "state_before": "⊢ True", "tactic": "trivial", "state_after": "no goals"}`
	latin1 := "{\"theorem\": \"P.latin1\", \"state_before\": \"x : \xe9\\n\u22a2 True\", \"tactic\": \"trivial\", \"state_after\": \"no goals\"}"
	tests := []struct {
		name, text string
		want       error
		mention    []string
		kept       int // theorems under SkipBad; -1 when that fails too
	}{
		{"latin1.jsonl", good + "\n" + latin1 + "\n", corpus.ErrMalformed, []string{"line 2", "invalid UTF-8", "P.latin1"}, 1},
		{"latin1.json", "[" + `{"full_name": "A.ok", "traced_tactics": []},` + "\n" +
			"{\"full_name\": \"A.bad\", \"traced_tactics\": [{\"tactic\": \"simp [h\xe9]\", \"state_before\": \"\u22a2 True\", \"state_after\": \"no goals\"}]}]",
			corpus.ErrMalformed, []string{"record 1", "invalid UTF-8"}, 1},
		{"utf16.json", "\xff\xfe[\x00]\x00", corpus.ErrUnknownFormat, []string{"UTF-16"}, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := corpus.LoadReader(tt.name, strings.NewReader(tt.text), corpus.Options{})
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			for _, m := range append(tt.mention, tt.name) {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("error %q does not mention %q", err, m)
				}
			}
			res, err := corpus.LoadReader(tt.name, strings.NewReader(tt.text), corpus.Options{SkipBad: true})
			if tt.kept < 0 {
				if err == nil {
					t.Error("loaded under SkipBad")
				}
				return
			}
			if err != nil || len(res.Theorems) != tt.kept || res.Skipped != 1 {
				t.Errorf("SkipBad: %v, kept %d skipped %d; want %d and 1", err, len(res.Theorems), res.Skipped, tt.kept)
			}
		})
	}
}

// A JSON array cut short (an interrupted download) names the record it
// ends in, by index, line and byte, even in a one-line file; under SkipBad
// the whole records before it are kept and the cut one counted. A syntax
// error with records after it is an error even under SkipBad (they would be
// lost without a count), and so is a file of which nothing is usable.
func TestLoadArrayCutShortOrBroken(t *testing.T) {
	rec := func(name string) string {
		return `{"full_name": "` + name + `", "traced_tactics": [{"tactic": "trivial", "state_before": "⊢ True", "state_after": "no goals"}]}`
	}
	whole := "[" + rec("A.one") + "," + rec("A.two") + "," + rec("A.three") + "]"
	cut := whole[:strings.Index(whole, "A.three")+10]
	tests := []struct {
		name, text  string
		mention     []string // in the error without SkipBad
		kept        int      // under SkipBad; -1: an error there too
		skipMention string
	}{
		{"cut.json", cut, []string{"record 2", "line 1, byte ", "cut short"}, 2, ""},
		{"cut-pretty.json", "[\n" + rec("A.one") + ",\n" + rec("A.two") + ",\n" + rec("A.three")[:30], []string{"record 2", "line 4"}, 2, ""},
		// Cut between records: the file holds two whole ones and no third.
		{"cut-between.json", "[" + rec("A.one") + ",\n" + rec("A.two"), []string{"after record 1", "cut short"}, 2, ""},
		{"cut-first.json", whole[:20], []string{"record 0", "cut short"}, -1, "no usable records"},
		{"syntax.json", "[" + rec("A.one") + ",," + rec("A.two") + "]", []string{"record 1", "invalid character"}, -1, "record 1"},
		{"trailing.json", whole + " garbage", []string{"after the array"}, -1, "after the array"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := corpus.LoadReader(tt.name, strings.NewReader(tt.text), corpus.Options{})
			if !errors.Is(err, corpus.ErrMalformed) {
				t.Fatalf("err = %v, want ErrMalformed", err)
			}
			for _, m := range append(tt.mention, tt.name) {
				if !strings.Contains(err.Error(), m) {
					t.Errorf("error %q does not mention %q", err, m)
				}
			}
			res, err := corpus.LoadReader(tt.name, strings.NewReader(tt.text), corpus.Options{SkipBad: true})
			if tt.kept < 0 {
				if err == nil || !strings.Contains(err.Error(), tt.skipMention) {
					t.Errorf("SkipBad: %v, want an error mentioning %q", err, tt.skipMention)
				}
				return
			}
			if err != nil || len(res.Theorems) != tt.kept || res.Skipped != 1 {
				t.Errorf("SkipBad: %v, kept %d skipped %d; want %d and 1", err, len(res.Theorems), res.Skipped, tt.kept)
			}
		})
	}
}

// Windows line endings and very long lines (a goal of 256 KiB, past
// bufio.Scanner's 64 KiB token limit) load like any other.
func TestLoadLineEndingsAndLongLines(t *testing.T) {
	long := "⊢ " + strings.Repeat("a + ", 1<<16) + "a = a"
	step := func(before string) string {
		return `"state_before": "` + before + `", "tactic": "rfl", "state_after": "no goals"`
	}
	tests := []struct{ name, text string }{
		{"crlf.jsonl", `{"theorem": "P.a", ` + step("⊢ 1 = 1") + "}\r\n" + `{"theorem": "P.b", ` + step(long) + "}\r\n"},
		{"crlf.json", "[\r\n " + `{"full_name": "P.a", "traced_tactics": [{` + step("⊢ 1 = 1") + "}]},\r\n " +
			`{"full_name": "P.b", "traced_tactics": [{` + step(long) + "}]}\r\n]\r\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := corpus.LoadReader(tt.name, strings.NewReader(tt.text), corpus.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Theorems) != 2 || res.Theorems[1].FullName != "P.b" || res.Theorems[1].Steps[0].StateBefore != long {
				t.Errorf("got %d theorems; want P.a and P.b with the long goal intact", len(res.Theorems))
			}
			r := corpus.NewReplay(res.Theorems)
			if !r.Replayable(context.Background(), res.Theorems[1]) {
				t.Error("the long goal does not replay")
			}
		})
	}
}

// Traces of two commits share theorems, sometimes moved to another file:
// LoadFiles keeps a theorem once (the first file's record), while examples,
// whose made-up names are unique only within a file, stay apart.
func TestLoadFilesDropsTheoremsSeenInAnEarlierFile(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	pair := `{"theorem": %q, "file": %q, "state_before": "⊢ True", "tactic": %q, "state_after": "no goals"}` + "\n"
	first := write("a.jsonl", fmt.Sprintf(pair, "T.moved", "Old.lean", "trivial")+
		fmt.Sprintf(pair, "T.only_a", "A.lean", "trivial")+
		fmt.Sprintf(pair, "N.example@3", "A.lean", "trivial"))
	second := write("b.jsonl", fmt.Sprintf(pair, "T.moved", "New.lean", "exact True.intro")+
		fmt.Sprintf(pair, "T.only_b", "B.lean", "trivial")+
		fmt.Sprintf(pair, "N.example@3", "B.lean", "trivial"))
	tests := []struct {
		name       string
		paths      []string
		want       []string // file:name of the theorems kept, in order
		movedTac   string   // the tactic kept for T.moved
		duplicates int
	}{
		{"a then b", []string{first, second}, []string{"Old.lean:T.moved", "A.lean:T.only_a", "A.lean:N.example@3", "B.lean:T.only_b", "B.lean:N.example@3"}, "trivial", 1},
		{"b then a", []string{second, first}, []string{"New.lean:T.moved", "B.lean:T.only_b", "B.lean:N.example@3", "A.lean:T.only_a", "A.lean:N.example@3"}, "exact True.intro", 1},
		{"a twice", []string{first, first}, []string{"Old.lean:T.moved", "A.lean:T.only_a", "A.lean:N.example@3"}, "trivial", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := corpus.LoadFiles(tt.paths, corpus.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, th := range res.Theorems {
				got = append(got, th.Key())
				if th.FullName == "T.moved" && th.Steps[0].Tactic != tt.movedTac {
					t.Errorf("T.moved kept with tactic %q, want the first file's %q", th.Steps[0].Tactic, tt.movedTac)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("theorems %v, want %v", got, tt.want)
			}
			if res.Duplicates != tt.duplicates {
				t.Errorf("duplicates %d, want %d", res.Duplicates, tt.duplicates)
			}
		})
	}
}

// Within one file, two theorems of one name in different source files are
// two theorems (private ones: "private theorem aux" in A.lean and B.lean,
// as corpus trace writes them): LoadFiles keeps both, as Load does, and
// drops only what an earlier file held.
func TestLoadFilesKeepsSameNamedTheoremsOfOneFile(t *testing.T) {
	dir := t.TempDir()
	pair := `{"theorem": %q, "file": %q, "state_before": "⊢ True", "tactic": "trivial", "state_after": "no goals"}` + "\n"
	p := filepath.Join(dir, "traced.jsonl")
	text := fmt.Sprintf(pair, "N.aux", "A.lean") + fmt.Sprintf(pair, "N.aux", "B.lean")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	one, err := corpus.Load(p, corpus.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, paths := range [][]string{{p}, {p, p}} {
		res, err := corpus.LoadFiles(paths, corpus.Options{})
		if err != nil {
			t.Fatal(err)
		}
		var got, want []string
		for _, th := range res.Theorems {
			got = append(got, th.Key())
		}
		for _, th := range one.Theorems {
			want = append(want, th.Key())
		}
		if !slices.Equal(got, want) || len(want) != 2 || res.Duplicates != 2*(len(paths)-1) {
			t.Errorf("%d files: theorems %v, duplicates %d; want %v, %d", len(paths), got, res.Duplicates, want, 2*(len(paths)-1))
		}
	}
}

// Samples for a learning curve are nested, close to their share, and
// independent of order.
func TestSampleIsNestedAndStable(t *testing.T) {
	var ths []corpus.Theorem
	for i := range 2000 {
		ths = append(ths, corpus.Theorem{FullName: fmt.Sprintf("T.thm%d", i)})
	}
	in := func(sample []corpus.Theorem) map[string]bool {
		m := map[string]bool{}
		for _, th := range sample {
			m[th.FullName] = true
		}
		return m
	}
	prev := map[string]bool{}
	for _, pct := range []int{0, 25, 50, 75, 100} {
		s := corpus.Sample(ths, pct)
		if got, want := len(s), 2000*pct/100; got < want-100 || got > want+100 {
			t.Errorf("%d%% sample holds %d of 2000 theorems", pct, got)
		}
		cur := in(s)
		for name := range prev {
			if !cur[name] {
				t.Errorf("%s is in a smaller sample but not in the %d%% one", name, pct)
			}
		}
		prev = cur
	}
	reversed := slices.Clone(ths)
	slices.Reverse(reversed)
	if a, b := in(corpus.Sample(ths, 30)), in(corpus.Sample(reversed, 30)); !maps.Equal(a, b) {
		t.Error("the sample depends on the order of the theorems")
	}
}
