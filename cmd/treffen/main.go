// Command treffen runs the meeting service: `treffen serve | migrate |
// demo | users add | users list | check | backup | restore`.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // Europe/Berlin even on machines without a zoneinfo database

	"github.com/isa-nrw/treffen/internal/config"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "treffen:", err)
		os.Exit(1)
	}
}

const usage = `treffen – Anmeldung und Organisation der Lernnetzwerktreffen

Aufruf:
  treffen serve [--demo] [--config DATEI]   Dienst starten (Standard ohne Befehl)
  treffen migrate [--config DATEI]          Datenbank-Migrationen ausführen
  treffen demo [--config DATEI]             Demodaten laden (nur in eine leere Datenbank)
  treffen users add --email E --role R [--name N] [--municipality-id ID]
                                            Konto anlegen; Passwort aus TREFFEN_NEW_PASSWORD oder Standardeingabe
  treffen users list                        Konten auflisten
  treffen privacy anonymise [--dry-run]     Teilnehmendendaten nach Ablauf der Aufbewahrungsfrist anonymisieren
  treffen health                            /readyz des laufenden Dienstes prüfen (für Container-Healthchecks)
  treffen config                            alle Einstellungen mit Umgebungsvariablen und Standardwerten
  treffen loadtest [--url URL[,URL…]] [--database-url DB] [--duration D] …
                                            Lasttest gegen einen Dienst auf diesem Rechner (nur Loopback), prüft danach die Daten;
                                            mit --database-url auch die Grenze der Datenbank und das Verhältnis dazu
  treffen check                             Konfiguration, Datenbank, Datenverzeichnis und Mailserver prüfen
  treffen backup --to DATEI [--force]       Sicherung (SQLite: online, PostgreSQL: pg_dump -Fc)
  treffen restore --from DATEI [--force]    Sicherung zurückspielen (Dienst vorher beenden)

Einstellungen: siehe config/treffen.example.toml; jede lässt sich mit TREFFEN_* überschreiben.
`

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(stderr)
	configPath := fs.String("config", "", "TOML configuration file (or TREFFEN_CONFIG)")
	demoFlag := fs.Bool("demo", false, "load demo data when the database has no meetings")
	dryRun := fs.Bool("dry-run", false, "privacy anonymise: only report what is due")
	var userFlags userArgs
	if cmd == "users" {
		userFlags.register(fs)
	}
	var loadFlags loadtestArgs
	if cmd == "loadtest" {
		loadFlags.register(fs)
	}
	var ops opsArgs
	if cmd == "backup" || cmd == "restore" {
		fs.StringVar(&ops.to, "to", "", "backup: file to write")
		fs.StringVar(&ops.from, "from", "", "restore: backup file to read")
		fs.BoolVar(&ops.force, "force", false, "replace an existing file or database")
	}
	sub := ""
	if (cmd == "users" || cmd == "privacy") && len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		sub, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if cmd == "help" || cmd == "-h" {
		fmt.Fprint(stdout, usage)
		return nil
	}
	cfg, err := config.Load(*configPath, getenv)
	if cmd == "check" {
		return runCheck(ctx, cfg, err, stdout)
	}
	if err != nil {
		return err
	}
	if *demoFlag {
		cfg.Demo = true
	}
	log := newLogger(cfg, stderr)
	switch cmd {
	case "serve":
		return serve(ctx, cfg, log)
	case "migrate":
		a, err := openApp(ctx, cfg, log)
		if err != nil {
			return err
		}
		defer a.close()
		fmt.Fprintln(stdout, "Datenbank ist auf dem aktuellen Stand.")
		return nil
	case "demo":
		a, err := openApp(ctx, cfg, log)
		if err != nil {
			return err
		}
		defer a.close()
		sum, err := a.loadDemo(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, sum)
		return nil
	case "users":
		a, err := openApp(ctx, cfg, log)
		if err != nil {
			return err
		}
		defer a.close()
		return a.users(ctx, sub, userFlags, getenv, os.Stdin, stdout)
	case "privacy":
		a, err := openApp(ctx, cfg, log)
		if err != nil {
			return err
		}
		defer a.close()
		return a.privacyCommand(ctx, sub, *dryRun, stdout)
	case "health":
		return health(ctx, cfg, stdout)
	case "loadtest":
		return runLoadtest(ctx, cfg, loadFlags, getenv, stdout)
	case "backup":
		return backup(ctx, cfg, ops, stdout)
	case "restore":
		return restore(ctx, cfg, ops, stdout)
	case "config":
		for _, k := range config.Keys() {
			fmt.Fprintf(stdout, "%-20s %-28s %-28q %s\n", k[0], k[1], k[2], k[3])
		}
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}

// health asks the running service on cfg.Addr whether it is ready.
func health(ctx context.Context, cfg config.Config, stdout io.Writer) error {
	host := cfg.Addr
	if strings.HasPrefix(host, "0.0.0.0:") || strings.HasPrefix(host, ":") {
		host = "127.0.0.1:" + host[strings.LastIndex(host, ":")+1:]
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+host+"/readyz", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("health: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("health: %s", resp.Status)
	}
	fmt.Fprintln(stdout, "bereit")
	return nil
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(cfg.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// waitOrTimeout waits for done, at most d.
func waitOrTimeout(done <-chan struct{}, d time.Duration) error {
	select {
	case <-done:
		return nil
	case <-time.After(d):
		return errors.New("timed out")
	}
}
