package main

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"math"
	"sort"
	"strings"
)

// manifestKeys are shown first, in this order; other keys follow sorted.
var manifestKeys = []string{"toolchain", "commit", "project", "policy", "mode", "budget", "seed", "started"}

func orderedManifest(m map[string]string) []kv {
	var out []kv
	seen := map[string]bool{}
	for _, k := range manifestKeys {
		if v, ok := m[k]; ok {
			out = append(out, kv{k, v})
			seen[k] = true
		}
	}
	var rest []string
	for k := range m {
		if !seen[k] {
			rest = append(rest, k)
		}
	}
	sort.Strings(rest)
	for _, k := range rest {
		out = append(out, kv{k, m[k]})
	}
	return out
}

func writeReportJSON(w io.Writer, runs []runSummary) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Runs []runSummary `json:"runs"`
	}{runs})
}

// writeReportMarkdown prints the runs side by side, then each run's detail.
func writeReportMarkdown(w io.Writer, runs []runSummary) error {
	var b strings.Builder
	b.WriteString("# Automation rate\n\n")
	b.WriteString("A theorem counts as proved when its proof was re-verified from scratch and assumes no unproven theorem.\n\n")
	b.WriteString("| run | theorems | proved | rate | proved, assuming | median s | p90 s | median prover calls |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range runs {
		fmt.Fprintf(&b, "| %s | %d | %d | %.1f%% | %d | %.2f | %.2f | %.0f |\n",
			mdCell(r.Label), r.Theorems, r.Proved, 100*r.Rate, r.Assuming, r.Seconds.P50, r.Seconds.P90, r.ProverCalls.P50)
	}
	for _, r := range runs {
		heading := r.Label
		if !strings.HasSuffix(heading, "("+r.ID+")") { // stored runs' labels name their ID already
			heading += " (run " + r.ID + ")"
		}
		fmt.Fprintf(&b, "\n## %s\n\n", mdCell(heading))
		for _, m := range orderedManifest(r.Manifest) {
			fmt.Fprintf(&b, "- %s: %s\n", m.Key, mdCell(m.Value))
		}
		b.WriteString("\n| file | theorems | proved | rate |\n|---|---:|---:|---:|\n")
		for _, f := range r.PerFile {
			fmt.Fprintf(&b, "| %s | %d | %d | %.1f%% |\n", mdCell(f.File), f.Theorems, f.Proved, 100*f.Rate)
		}
		fmt.Fprintf(&b, "\nSeconds per theorem: min %.2f, median %.2f, p90 %.2f, max %.2f, mean %.2f (n=%d).\n",
			r.Seconds.Min, r.Seconds.P50, r.Seconds.P90, r.Seconds.Max, r.Seconds.Mean, r.Seconds.N)
		fmt.Fprintf(&b, "Prover calls per theorem: min %.0f, median %.0f, p90 %.0f, max %.0f, mean %.1f.\n",
			r.ProverCalls.Min, r.ProverCalls.P50, r.ProverCalls.P90, r.ProverCalls.Max, r.ProverCalls.Mean)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdCell keeps a value from breaking a Markdown table row.
func mdCell(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

// chartColors are distinguishable for the usual forms of colour blindness
// (Okabe–Ito).
var chartColors = []string{"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"}

// writeReportSVG draws two panels: the automation rate of each run as bars,
// and a cactus plot (theorems proved within t seconds), the usual way to
// compare provers across budgets.
func writeReportSVG(w io.Writer, runs []runSummary) error {
	const (
		width, chartH = 900, 380
		pad           = 50
		panelW        = (width - 3*pad) / 2
		panelH        = chartH - 2*pad - 40
		legendRow     = 18
	)
	// One legend row per run: labels carry policy, mode and run ID, too
	// long to sit side by side.
	height := chartH + legendRow*len(runs)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="12">`+"\n", width, height, width, height)
	b.WriteString(`<rect width="100%" height="100%" fill="white"/>` + "\n")

	// Panel 1: automation rate bars, 0–100%.
	x0, y0 := float64(pad), float64(pad)
	fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" font-weight="bold">Automation rate</text>`+"\n", x0, y0-15)
	axes(&b, x0, y0, panelW, panelH)
	for i := 0; i <= 4; i++ {
		y := y0 + panelH - float64(i)*panelH/4
		fmt.Fprintf(&b, `<text x="%.0f" y="%.1f" text-anchor="end">%d%%</text>`+"\n", x0-5, y+4, i*25)
	}
	if n := len(runs); n > 0 {
		slot := float64(panelW) / float64(n)
		barW := math.Min(slot*0.7, 80)
		for i, r := range runs {
			h := r.Rate * panelH
			x := x0 + slot*float64(i) + (slot-barW)/2
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s: %d/%d</title></rect>`+"\n",
				x, y0+panelH-h, barW, h, chartColors[i%len(chartColors)], html.EscapeString(r.Label), r.Proved, r.Theorems)
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle">%.1f%%</text>`+"\n", x+barW/2, y0+panelH-h-4, 100*r.Rate)
		}
	}

	// Panel 2: cactus plot.
	x1 := x0 + panelW + pad
	fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" font-weight="bold">Theorems proved within t seconds</text>`+"\n", x1, y0-15)
	axes(&b, x1, y0, panelW, panelH)
	maxT, maxN := 0.0, 0
	for _, r := range runs {
		if len(r.SolveTimes) > 0 {
			maxT = math.Max(maxT, r.SolveTimes[len(r.SolveTimes)-1])
		}
		maxN = max(maxN, r.Theorems)
	}
	if maxT <= 0 {
		maxT = 1
	}
	if maxN == 0 {
		maxN = 1
	}
	fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" text-anchor="end">%s</text>`+"\n", x1+panelW, y0+panelH+15, secondsLabel(maxT))
	fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" text-anchor="start">0</text>`+"\n", x1, y0+panelH+15)
	fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" text-anchor="middle">seconds per theorem</text>`+"\n", x1+panelW/2, y0+panelH+15)
	fmt.Fprintf(&b, `<text x="%.0f" y="%.0f" text-anchor="end">%d</text>`+"\n", x1-5, y0+4, maxN)
	for i, r := range runs {
		var pts []string
		pts = append(pts, fmt.Sprintf("%.1f,%.1f", x1, y0+panelH))
		for k, t := range r.SolveTimes {
			x := x1 + t/maxT*panelW
			y := y0 + panelH - float64(k+1)/float64(maxN)*panelH
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x, y))
		}
		fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>`+"\n", chartColors[i%len(chartColors)], strings.Join(pts, " "))
	}

	// Legend, one run a row, with its figures.
	ly := y0 + panelH + 40
	for i, r := range runs {
		yy := ly + float64(i*legendRow)
		fmt.Fprintf(&b, `<rect x="%.0f" y="%.0f" width="10" height="10" fill="%s"/><text x="%.0f" y="%.0f">%s: %d/%d proved</text>`+"\n",
			x0, yy-9, chartColors[i%len(chartColors)], x0+14, yy, html.EscapeString(r.Label), r.Proved, r.Theorems)
	}
	b.WriteString("</svg>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// secondsLabel prints a time axis end with the precision it needs.
func secondsLabel(s float64) string {
	switch {
	case s >= 10:
		return fmt.Sprintf("%.0f s", s)
	case s >= 0.1:
		return fmt.Sprintf("%.1f s", s)
	default:
		return fmt.Sprintf("%.0f ms", s*1000)
	}
}

func axes(b *strings.Builder, x, y float64, w, h int) {
	fmt.Fprintf(b, `<line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="black"/>`+"\n", x, y, x, y+float64(h))
	fmt.Fprintf(b, `<line x1="%.0f" y1="%.0f" x2="%.0f" y2="%.0f" stroke="black"/>`+"\n", x, y+float64(h), x+float64(w), y+float64(h))
}
