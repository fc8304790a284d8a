package policy

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// chatBaseURL checks an OpenAI-compatible base URL and completes it: the
// client posts to BASE/chat/completions, and vLLM, Ollama and llama.cpp
// serve that under /v1, so a URL naming only the server
// (http://localhost:8000) gets /v1. A URL with a path is kept as given
// (minus a trailing slash): some providers mount the API elsewhere.
func chatBaseURL(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || !validPort(u.Port()) {
		return "", fmt.Errorf("%w: LLM base URL %q: want an http:// or https:// URL such as http://localhost:8000/v1", ErrBadSpec, raw)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = ""
	if u.Path == "" {
		u.Path = "/v1"
	}
	return u.String(), nil
}

// validPort accepts an absent port or one in 1..65535: url.Parse checks
// only that a port is digits, and a bad one would fail every request.
func validPort(p string) bool {
	if p == "" {
		return true
	}
	n, err := strconv.Atoi(p)
	return err == nil && n >= 1 && n <= 65535
}
