package check

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/isa-nrw/treffen/internal/config"
	"github.com/isa-nrw/treffen/internal/mail"
	"github.com/isa-nrw/treffen/internal/store"
)

// Configuration reports the problems config.Load found, each on its own line.
func Configuration(loadErr error) Check {
	return Check{Name: "Konfiguration", Run: func(context.Context) Result {
		problems := config.Problems(loadErr)
		if len(problems) == 0 {
			return Result{Status: OK, Message: "gelesen und gültig"}
		}
		r := Result{Status: Fail, Message: fmt.Sprintf("%d Problem(e)", len(problems))}
		for _, p := range problems {
			r.Details = append(r.Details, p.Error())
		}
		return r
	}}
}

// BaseURL checks that links in mails reach the service from outside and
// recommends https.
func BaseURL(cfg config.Config) Check {
	return Check{Name: "Öffentliche URL", Run: func(context.Context) Result {
		u, err := url.Parse(cfg.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return Result{Status: Fail, Message: fmt.Sprintf("base_url %q ist keine http(s)-Adresse", cfg.BaseURL)}
		}
		host := u.Hostname()
		if ip := net.ParseIP(host); host == "localhost" || ip != nil && (ip.IsLoopback() || ip.IsUnspecified()) {
			return Result{Status: Warn, Message: cfg.BaseURL + ": Links in Mails funktionieren nur auf diesem Rechner – base_url auf die öffentliche Adresse setzen"}
		}
		if u.Scheme == "http" {
			return Result{Status: Warn, Message: cfg.BaseURL + ": im Betrieb https empfohlen (Anmeldedaten und Verwaltungslinks gehen sonst unverschlüsselt)"}
		}
		if !cfg.SecureCookies {
			return Result{Status: Warn, Message: cfg.BaseURL + ": https, aber secure_cookies ist ausgeschaltet"}
		}
		return Result{Status: OK, Message: cfg.BaseURL}
	}}
}

// sqlitePath returns the file of a sqlite: URL, "" for PostgreSQL.
func sqlitePath(databaseURL string) string {
	if databaseURL != "" && !strings.HasPrefix(databaseURL, "sqlite:") {
		return ""
	}
	p := strings.TrimPrefix(databaseURL, "sqlite:")
	if p == "" {
		p = store.DefaultSQLitePath
	}
	return p
}

// DataDir checks that the directory of the SQLite file is writable (the
// database, its WAL and backups live there).
func DataDir(databaseURL string) Check {
	p := sqlitePath(databaseURL)
	if p == "" {
		return Check{Name: "Datenverzeichnis", Run: func(context.Context) Result {
			return Result{Status: OK, Message: "PostgreSQL – kein lokales Datenverzeichnis nötig"}
		}}
	}
	if p == ":memory:" {
		return Check{Name: "Datenverzeichnis", Run: func(context.Context) Result {
			return Result{Status: Warn, Message: "sqlite::memory: – die Daten gehen beim Beenden verloren"}
		}}
	}
	return Directory("Datenverzeichnis", filepath.Dir(p))
}

// Directory checks that dir exists (or can be created) and is writable,
// by creating and removing a file in it.
func Directory(name, dir string) Check {
	return Check{Name: name, Run: func(context.Context) Result {
		abs, err := filepath.Abs(dir)
		if err != nil {
			abs = dir
		}
		st, err := os.Stat(abs)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			parent := existingParent(abs)
			if err := writable(parent); err != nil {
				return Result{Status: Fail, Message: fmt.Sprintf("%s fehlt und kann nicht angelegt werden: %v", abs, err)}
			}
			return Result{Status: Warn, Message: abs + " fehlt noch; wird beim ersten Start angelegt"}
		case err != nil:
			return Result{Status: Fail, Message: fmt.Sprintf("%s: %v", abs, err)}
		case !st.IsDir():
			return Result{Status: Fail, Message: abs + " ist kein Verzeichnis"}
		}
		if err := writable(abs); err != nil {
			return Result{Status: Fail, Message: fmt.Sprintf("%s ist nicht beschreibbar: %v", abs, err)}
		}
		return Result{Status: OK, Message: abs + " beschreibbar"}
	}}
}

func existingParent(dir string) string {
	for {
		if _, err := os.Stat(dir); err == nil {
			return dir
		}
		up := filepath.Dir(dir)
		if up == dir {
			return dir
		}
		dir = up
	}
}

func writable(dir string) error {
	f, err := os.CreateTemp(dir, ".treffen-check-*")
	if err != nil {
		return err
	}
	name := f.Name()
	_ = f.Close()
	return os.Remove(name)
}

// Database opens the configured database, and reports whether it answers
// and whether migrations are pending. A missing SQLite file is not
// created here.
func Database(databaseURL string, timeout time.Duration) Check {
	return Check{Name: "Datenbank", Run: func(ctx context.Context) Result {
		ctx, cancel := context.WithTimeout(ctx, timeout)
		defer cancel()
		what := "PostgreSQL"
		if p := sqlitePath(databaseURL); p != "" {
			what = "SQLite " + p
			if p != ":memory:" {
				if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
					return Result{Status: Warn, Message: what + " existiert noch nicht; wird beim ersten Start angelegt und migriert"}
				}
			}
		}
		db, err := store.Open(ctx, databaseURL)
		if err != nil {
			return Result{Status: Fail, Message: "nicht erreichbar: " + err.Error()}
		}
		defer db.Close()
		st, err := db.Migrations(ctx)
		if err != nil {
			return Result{Status: Fail, Message: what + " erreichbar, Migrationsstand unlesbar: " + err.Error()}
		}
		switch {
		case st.Current > st.Latest:
			return Result{Status: Fail, Message: fmt.Sprintf("%s hat Schema-Version %d, dieses Programm kennt nur bis %d – ältere Programmversion?", what, st.Current, st.Latest)}
		case st.Pending > 0:
			return Result{Status: Warn, Message: fmt.Sprintf("%s erreichbar; %d Migration(en) ausstehend (Version %d → %d) – `treffen migrate` oder der nächste Start führt sie aus", what, st.Pending, st.Current, st.Latest)}
		}
		return Result{Status: OK, Message: fmt.Sprintf("%s erreichbar, Migrationen aktuell (Version %d)", what, st.Current)}
	}}
}

// SMTP talks to the mail server as a delivery would – connect, greeting,
// EHLO, STARTTLS, AUTH – and sends nothing. When a step fails, the steps
// that succeeded are listed as details.
func SMTP(smtpURL, from string, timeout time.Duration) Check {
	return Check{Name: "Mailserver", Run: func(ctx context.Context) Result {
		if smtpURL == "" {
			return Result{Status: Warn, Message: "keine smtp_url: Mails werden nicht zugestellt, nur protokolliert und unter Verwaltung › E-Mails gezeigt"}
		}
		s, err := mail.NewSMTPSender(smtpURL, from)
		if err != nil {
			return Result{Status: Fail, Message: err.Error()}
		}
		rep, err := s.Probe(ctx, timeout)
		if err != nil {
			return Result{Status: Fail, Message: s.String() + ": " + err.Error(), Details: rep.Steps}
		}
		msg := s.String() + ": erreichbar"
		if rep.TLS != "" {
			msg += ", verschlüsselt (" + rep.TLS + ")"
		}
		if rep.Auth != "" {
			msg += ", Anmeldung (AUTH " + rep.Auth + ") ok"
		}
		r := Result{Status: OK, Message: msg}
		if rep.TLS == "" && !loopback(s.Host()) {
			r.Status = Warn
			r.Message = s.String() + ": erreichbar, aber unverschlüsselt – STARTTLS oder smtps:// verwenden"
		}
		return r
	}}
}

func loopback(host string) bool {
	ip := net.ParseIP(host)
	return host == "localhost" || ip != nil && ip.IsLoopback()
}
