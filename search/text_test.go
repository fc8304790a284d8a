package search_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/leanprove/leanprove/search"
)

func TestParamsJSONRoundTrip(t *testing.T) {
	p := search.Params{Mode: search.ModeBestFirst, Selection: search.SelectUCB1, MaxProverCalls: 9, WallTime: time.Second, Seed: 3}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	if s := string(b); !strings.Contains(s, `"Mode":"bestfirst"`) || !strings.Contains(s, `"Selection":"ucb1"`) {
		t.Errorf("JSON %s lacks readable names", s)
	}
	var back search.Params
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(p, back) {
		t.Errorf("round trip: %+v became %+v", p, back)
	}
	for _, r := range []search.StopReason{search.StopProved, search.StopExhausted, search.StopExpansions, search.StopProverCalls, search.StopWallTime, search.StopCancelled} {
		b, _ := json.Marshal(r)
		var back search.StopReason
		if err := json.Unmarshal(b, &back); err != nil || back != r {
			t.Errorf("stop reason %v: %s came back as %v, %v", r, b, back, err)
		}
	}
	var m search.Mode
	if err := json.Unmarshal([]byte(`"dfs"`), &m); err == nil {
		t.Errorf("unknown mode accepted")
	}
}
