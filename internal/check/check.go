// Package check is `treffen check`: it verifies an installation before
// (or while) the service runs – configuration, database and migrations,
// the data directory, the mail server, the public URL – and reports one
// line per check with ok, warn or FAIL.
//
// A check is a name and a function; Standard lists the ones every
// installation needs. Another check is one more entry in that list.
package check

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/isa-nrw/treffen/internal/config"
)

// Status is the outcome of one check.
type Status int

// Outcomes, from good to bad.
const (
	OK Status = iota
	Warn
	Fail
)

func (s Status) String() string {
	switch s {
	case OK:
		return "ok"
	case Warn:
		return "warn"
	}
	return "FAIL"
}

// Result is what a check found: a one-line message and optional details
// (one per line, e.g. every configuration problem or every SMTP step).
type Result struct {
	Status  Status
	Message string
	Details []string
}

// Check is one named check.
type Check struct {
	Name string
	Run  func(ctx context.Context) Result
}

// Options tune the checks.
type Options struct {
	// Timeout bounds each network check (database, mail server).
	Timeout time.Duration
}

// Standard returns the checks of an installation for cfg as loaded;
// loadErr is what config.Load returned (its problems are reported, and
// the other checks still run on what could be read).
func Standard(cfg config.Config, loadErr error, opt Options) []Check {
	if opt.Timeout <= 0 {
		opt.Timeout = 10 * time.Second
	}
	return []Check{
		Configuration(loadErr),
		BaseURL(cfg),
		DataDir(cfg.DatabaseURL),
		Directory("Upload-Verzeichnis", cfg.UploadDir),
		Database(cfg.DatabaseURL, opt.Timeout),
		SMTP(cfg.SMTPURL, cfg.MailFrom, opt.Timeout),
	}
}

// Line is a check's name with its result.
type Line struct {
	Name string
	Result
}

// Report is the result of all checks in order.
type Report []Line

// Run runs the checks one after another. A panicking check is a failure,
// not the end of the report.
func Run(ctx context.Context, checks []Check) Report {
	out := make(Report, 0, len(checks))
	for _, c := range checks {
		out = append(out, Line{Name: c.Name, Result: runOne(ctx, c)})
	}
	return out
}

func runOne(ctx context.Context, c Check) (r Result) {
	defer func() {
		if p := recover(); p != nil {
			r = Result{Status: Fail, Message: fmt.Sprintf("interner Fehler der Prüfung: %v", p)}
		}
	}()
	return c.Run(ctx)
}

// OK reports whether no check failed (warnings allowed).
func (r Report) OK() bool {
	for _, l := range r {
		if l.Status == Fail {
			return false
		}
	}
	return true
}

// Count returns how many checks ended with s.
func (r Report) Count(s Status) int {
	n := 0
	for _, l := range r {
		if l.Status == s {
			n++
		}
	}
	return n
}

// Write prints one line per check and its details indented below.
func (r Report) Write(w io.Writer) error {
	width := 0
	for _, l := range r {
		width = max(width, len([]rune(l.Name)))
	}
	var b strings.Builder
	for _, l := range r {
		fmt.Fprintf(&b, "%-4s  %s%s  %s\n", l.Status, l.Name, strings.Repeat(" ", width-len([]rune(l.Name))), l.Message)
		for _, d := range l.Details {
			fmt.Fprintf(&b, "      %s  – %s\n", strings.Repeat(" ", width), d)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}
