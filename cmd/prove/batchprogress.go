package main

import (
	"fmt"
	"io"
	"os"
	"sync/atomic"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
	"golang.org/x/term"
)

// newBatchProgress draws a live bar when w is a terminal and prints plain
// lines otherwise, so logs and CI output stay readable. While the bar
// draws, log lines (logSink) print above it.
func newBatchProgress(w io.Writer, terminal bool, logSink *lockedWriter) batchProgress {
	if terminal {
		return &barProgress{w: w, logSink: logSink}
	}
	return &plainProgress{w: w}
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// barProgress is one mpb bar: theorems done of total, the count proved,
// and an ETA. Results print above the bar as they finish.
type barProgress struct {
	w       io.Writer
	logSink *lockedWriter
	prevLog io.Writer
	p       *mpb.Progress
	bar     *mpb.Bar
	proved  atomic.Int64
}

func (b *barProgress) Start(total, done, proved int) {
	b.proved.Store(int64(proved))
	// w is a terminal behind a lock, which mpb cannot see: tell it to draw.
	b.p = mpb.New(mpb.WithOutput(b.w), mpb.WithAutoRefresh(), mpb.WithWidth(40))
	b.bar = b.p.AddBar(int64(total),
		mpb.PrependDecorators(
			decor.Name("batch "),
			decor.CountersNoUnit("%d/%d"),
		),
		mpb.AppendDecorators(
			decor.Any(func(decor.Statistics) string { return fmt.Sprintf(" proved %d ", b.proved.Load()) }),
			decor.OnComplete(decor.EwmaETA(decor.ET_STYLE_GO, 30), "done"),
		),
	)
	b.bar.SetCurrent(int64(done))
	b.prevLog = b.logSink.redirect(b.p)
}

func (b *barProgress) Finished(r theoremResult) {
	if r.fullyProved() {
		b.proved.Add(1)
		fmt.Fprintf(b.p, "proved %s\n", r.Theorem)
	}
	b.bar.EwmaIncrement(r.Elapsed)
}

// Stop ends the bar whether or not every theorem finished: an unfinished
// bar would make mpb's Wait hang.
func (b *barProgress) Stop() {
	b.logSink.redirect(b.prevLog)
	b.bar.Abort(false)
	b.p.Wait()
}

// countingProgress counts for the service's status: theorems done and
// proved out of the total, readable while the batch runs.
type countingProgress struct {
	total, done, proved atomic.Int64
}

func (c *countingProgress) Start(total, done, proved int) {
	c.total.Store(int64(total))
	c.done.Store(int64(done))
	c.proved.Store(int64(proved))
}

func (c *countingProgress) Finished(r theoremResult) {
	c.done.Add(1)
	if r.fullyProved() {
		c.proved.Add(1)
	}
}

func (c *countingProgress) Stop() {}

// MarshalJSON reports the counts as they are now.
func (c *countingProgress) MarshalJSON() ([]byte, error) {
	return []byte(fmt.Sprintf(`{"total":%d,"done":%d,"proved":%d}`, c.total.Load(), c.done.Load(), c.proved.Load())), nil
}
