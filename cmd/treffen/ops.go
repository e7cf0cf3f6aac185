package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/isa-nrw/treffen/internal/check"
	"github.com/isa-nrw/treffen/internal/config"
	"github.com/isa-nrw/treffen/internal/store"
)

// opsArgs are the flags of backup and restore.
type opsArgs struct {
	to, from string
	force    bool
}

// runCheck is `treffen check`: every check prints its line; an error
// (exit status 1) when one failed.
func runCheck(ctx context.Context, cfg config.Config, loadErr error, stdout io.Writer) error {
	rep := check.Run(ctx, check.Standard(cfg, loadErr, check.Options{}))
	if err := rep.Write(stdout); err != nil {
		return err
	}
	if n := rep.Count(check.Fail); n > 0 {
		return fmt.Errorf("check: %d von %d Prüfungen fehlgeschlagen", n, len(rep))
	}
	fmt.Fprintf(stdout, "Alle Prüfungen bestanden (%d Warnung(en)).\n", rep.Count(check.Warn))
	return nil
}

// backup is `treffen backup --to FILE`.
func backup(ctx context.Context, cfg config.Config, a opsArgs, stdout io.Writer) error {
	if a.to == "" {
		return errors.New("backup: --to DATEI fehlt")
	}
	if path, ok := store.SQLitePath(cfg.DatabaseURL); ok {
		if _, err := os.Stat(path); err != nil {
			return fmt.Errorf("backup: database %s: %w", path, err)
		}
		db, err := store.Open(ctx, cfg.DatabaseURL)
		if err != nil {
			return err
		}
		defer db.Close()
		start := time.Now()
		if err := db.BackupSQLite(ctx, a.to, a.force); err != nil {
			return err
		}
		st, err := os.Stat(a.to)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Sicherung von %s nach %s geschrieben (%d KB, %s, integrity_check ok).\n", path, a.to, st.Size()/1024, time.Since(start).Round(time.Millisecond))
		uploadsReminder(stdout, cfg)
		return nil
	}
	if _, err := os.Stat(a.to); err == nil && !a.force {
		return fmt.Errorf("backup: %s exists already (--force overwrites)", a.to)
	}
	cmd, err := store.PgDumpCommand(cfg.DatabaseURL, a.to)
	if err != nil {
		return err
	}
	if err := cmd.Run(ctx); err != nil {
		if errors.Is(err, store.ErrNoPgTool) {
			fmt.Fprintf(stdout, "pg_dump ist nicht installiert. Auf einem Rechner mit pg_dump (gleiche oder neuere Hauptversion als der Server):\n  %s\n", cmd)
		}
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Fprintf(stdout, "Sicherung mit pg_dump nach %s geschrieben.\n", a.to)
	uploadsReminder(stdout, cfg)
	return nil
}

// restore is `treffen restore --from FILE [--force]`.
func restore(ctx context.Context, cfg config.Config, a opsArgs, stdout io.Writer) error {
	if a.from == "" {
		return errors.New("restore: --from DATEI fehlt")
	}
	if _, err := os.Stat(a.from); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	if running(ctx, cfg) {
		return fmt.Errorf("restore: der Dienst antwortet unter %s – erst beenden, dann wiederherstellen", cfg.Addr)
	}
	if path, ok := store.SQLitePath(cfg.DatabaseURL); ok {
		if _, err := os.Stat(path); err == nil && !a.force {
			return fmt.Errorf("restore: %s gibt es schon und würde ersetzt – mit --force bestätigen (der jetzige Stand wird vorher daneben gesichert)", path)
		}
		saved, err := store.RestoreSQLite(ctx, a.from, path, a.force)
		if err != nil {
			return err
		}
		if saved != "" {
			fmt.Fprintf(stdout, "Bisheriger Stand gesichert als %s.\n", saved)
		}
		fmt.Fprintf(stdout, "%s aus %s wiederhergestellt (integrity_check ok). Ausstehende Migrationen laufen beim nächsten Start.\n", path, a.from)
		return nil
	}
	cmd, err := store.PgRestoreCommand(cfg.DatabaseURL, a.from)
	if err != nil {
		return err
	}
	if !a.force {
		return fmt.Errorf("restore: pg_restore ersetzt alle Tabellen der Datenbank – mit --force bestätigen; der Befehl:\n  %s", cmd)
	}
	if err := cmd.Run(ctx); err != nil {
		if errors.Is(err, store.ErrNoPgTool) {
			fmt.Fprintf(stdout, "pg_restore ist nicht installiert. Auf einem Rechner mit pg_restore:\n  %s\n", cmd)
		}
		return fmt.Errorf("restore: %w", err)
	}
	fmt.Fprintln(stdout, "Datenbank mit pg_restore wiederhergestellt. Ausstehende Migrationen laufen beim nächsten Start.")
	return nil
}

// running reports whether a service answers /healthz on the configured
// address, so a restore does not pull the data from under it.
func running(ctx context.Context, cfg config.Config) bool {
	host := cfg.Addr
	if strings.HasPrefix(host, "0.0.0.0:") || strings.HasPrefix(host, ":") {
		host = "127.0.0.1:" + host[strings.LastIndex(host, ":")+1:]
	}
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+host+"/healthz", nil)
	if err != nil {
		return false
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return false
	}
	_ = resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// uploadsReminder: the files of the online documentation live beside the
// database, not in it.
func uploadsReminder(w io.Writer, cfg config.Config) {
	fmt.Fprintf(w, "Hochgeladene Dateien (Präsentationen, Fotos) liegen in %s – bitte dieses Verzeichnis mitsichern, z. B. mit tar oder rsync.\n", cfg.UploadDir)
}
