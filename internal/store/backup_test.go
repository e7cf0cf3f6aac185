package store_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/agenda"
	"github.com/isa-nrw/treffen/internal/demo"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/media"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/store"
	"github.com/isa-nrw/treffen/internal/store/storetest"
	"github.com/isa-nrw/treffen/internal/workinggroup"
)

// openWithDemo opens url, migrates and loads the demo data.
func openWithDemo(t *testing.T, url string) (*store.DB, *registration.Store, event.Event) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if _, err := db.Migrate(ctx, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	events := event.NewStore(db.Gorm)
	regs := registration.NewStore(db.Gorm, nil)
	if _, err := demo.Load(ctx, demo.Stores{Municipalities: municipality.NewStore(db.Gorm), Events: events, Registrations: regs,
		WorkingGroups: workinggroup.NewStore(db.Gorm), Agenda: agenda.NewStore(db.Gorm), Media: media.NewStore(db.Gorm)}, time.Now()); err != nil {
		t.Fatalf("demo data: %v", err)
	}
	upcoming, err := events.List(ctx, event.Filter{PublicOnly: true, Upcoming: true, Now: time.Now()})
	if err != nil || len(upcoming) == 0 {
		t.Fatalf("no upcoming demo meeting: %v", err)
	}
	return db, regs, upcoming[0]
}

func count(t *testing.T, db *store.DB, query string) int64 {
	t.Helper()
	var n int64
	if err := db.Gorm.Raw(query).Scan(&n).Error; err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// TestSQLiteBackupWhileWriting takes a backup while registrations keep
// coming in, restores it into a new file, opens that with the store and
// finds a consistent state: every registration with its queued mail.
func TestSQLiteBackupWhileWriting(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, regs, ev := openWithDemo(t, "sqlite:"+filepath.Join(dir, "live.db"))
	// The demo's past meetings hold imported registrations without
	// mails; the live meeting's registrations each queue one.
	live := fmt.Sprintf("SELECT count(*) FROM registrations WHERE event_id = %d", ev.ID)
	before := count(t, db, live)

	var written atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var writeErr atomic.Pointer[error]
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				_, err := regs.Register(ctx, ev.ID, registration.Input{FirstName: "Erika", LastName: fmt.Sprintf("Backup-%d-%d", w, i),
					Email: fmt.Sprintf("backup.%d.%d@kommune.example", w, i), Organisation: "Landesjugendamt", PrivacyConsent: true}, registration.Options{IgnoreWindow: true})
				if err != nil {
					writeErr.Store(&err)
					return
				}
				written.Add(1)
			}
		}()
	}
	for written.Load() < 20 && writeErr.Load() == nil {
		time.Sleep(5 * time.Millisecond)
	}
	atBackup := written.Load()
	backup := filepath.Join(dir, "sicherung", "treffen.db")
	start := time.Now()
	if err := db.BackupSQLite(ctx, backup, false); err != nil {
		t.Fatalf("backup: %v", err)
	}
	took := time.Since(start)
	for written.Load() < atBackup+20 && writeErr.Load() == nil {
		time.Sleep(5 * time.Millisecond)
	}
	close(stop)
	wg.Wait()
	if err := writeErr.Load(); err != nil {
		t.Fatalf("registration during backup: %v", *err)
	}
	total := count(t, db, live)
	t.Logf("backup of %d registrations took %s while %d were written", total, took, written.Load())

	if err := db.BackupSQLite(ctx, backup, false); err == nil {
		t.Error("backup overwrote an existing file without being asked")
	}

	restored := filepath.Join(dir, "neu", "treffen.db")
	if _, err := store.RestoreSQLite(ctx, backup, restored, false); err != nil {
		t.Fatalf("restore into a new file: %v", err)
	}
	rdb, err := store.Open(ctx, "sqlite:"+restored)
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	if err := rdb.Ready(ctx); err != nil {
		t.Fatalf("restored database not ready: %v", err)
	}
	got := count(t, rdb, live)
	if got < before+atBackup || got > total {
		t.Errorf("restored %d registrations; expected between %d and %d", got, before+atBackup, total)
	}
	if n := count(t, rdb, fmt.Sprintf("SELECT count(*) FROM registrations r WHERE r.event_id = %d AND NOT EXISTS (SELECT 1 FROM mail_outbox o WHERE o.registration_id = r.id)", ev.ID)); n != 0 {
		t.Errorf("%d registrations without their mail: the copy is not one committed state", n)
	}
	if n := count(t, rdb, fmt.Sprintf("SELECT count(*) FROM mail_outbox o JOIN registrations r ON r.id = o.registration_id WHERE r.event_id = %d", ev.ID)); n < got {
		t.Errorf("%d mails for %d registrations", n, got)
	}
	var check string
	if err := rdb.Gorm.Raw("PRAGMA integrity_check").Scan(&check).Error; err != nil || check != "ok" {
		t.Errorf("integrity_check: %q %v", check, err)
	}
	// The restored database works: the store writes into it.
	if _, err := registration.NewStore(rdb.Gorm, nil).Register(ctx, ev.ID, registration.Input{FirstName: "Nach", LastName: "Wiederherstellung",
		Email: "nach.restore@kommune.example", Organisation: "Landesjugendamt", PrivacyConsent: true}, registration.Options{IgnoreWindow: true}); err != nil {
		t.Errorf("register in the restored database: %v", err)
	}
}

func TestSQLiteRestoreReplacesOnlyWhenAskedAndKeepsTheOldState(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, regs, ev := openWithDemo(t, "sqlite:"+filepath.Join(dir, "live.db"))
	backup := filepath.Join(dir, "b.db")
	if err := db.BackupSQLite(ctx, backup, false); err != nil {
		t.Fatal(err)
	}
	n := count(t, db, "SELECT count(*) FROM registrations")
	if _, err := regs.Register(ctx, ev.ID, registration.Input{FirstName: "Nach", LastName: "Sicherung", Email: "nach@kommune.example", Organisation: "Landesjugendamt", PrivacyConsent: true}, registration.Options{IgnoreWindow: true}); err != nil {
		t.Fatal(err)
	}
	live := filepath.Join(dir, "live.db")
	if _, err := store.RestoreSQLite(ctx, backup, live, false); err == nil {
		t.Fatal("restore replaced an existing database without --force")
	}
	saved, err := store.RestoreSQLite(ctx, backup, live, true)
	if err != nil {
		t.Fatalf("restore with overwrite: %v", err)
	}
	// The open pool sees the restored content: the file was written
	// through SQLite, not replaced under it.
	if got := count(t, db, "SELECT count(*) FROM registrations"); got != n {
		t.Errorf("after restore %d registrations, want %d", got, n)
	}
	old, err := store.Open(ctx, "sqlite:"+saved)
	if err != nil {
		t.Fatalf("open the saved state %s: %v", saved, err)
	}
	defer old.Close()
	if got := count(t, old, "SELECT count(*) FROM registrations"); got != n+1 {
		t.Errorf("saved state has %d registrations, want %d", got, n+1)
	}

	// A damaged or foreign file is refused before anything is touched.
	junk := filepath.Join(dir, "kaputt.db")
	if err := os.WriteFile(junk, []byte(strings.Repeat("kein SQLite ", 500)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := store.RestoreSQLite(ctx, junk, live, true); err == nil {
		t.Error("restore accepted a file that is no database")
	}
	empty := filepath.Join(dir, "leer.db")
	edb, err := store.Open(ctx, "sqlite:"+empty)
	if err != nil {
		t.Fatal(err)
	}
	_ = edb.Close()
	if _, err := store.RestoreSQLite(ctx, empty, live, true); err == nil || !strings.Contains(err.Error(), "no treffen schema") {
		t.Errorf("restore of a database without schema: %v", err)
	}
	if got := count(t, db, "SELECT count(*) FROM registrations"); got != n {
		t.Errorf("refused restores changed the database: %d registrations, want %d", got, n)
	}
}

// TestPgDumpAndRestore dumps a database with data with pg_dump -Fc,
// restores it into a fresh database and compares the row counts of every
// table.
func TestPgDumpAndRestore(t *testing.T) {
	if storetest.Dialect() != "postgres" {
		t.Skipf("PostgreSQL only: %s is not set", storetest.EnvURL)
	}
	for _, tool := range []string{"pg_dump", "pg_restore"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed", tool)
		}
	}
	ctx := context.Background()
	srcURL := storetest.URL(t)
	src, _, _ := openWithDemo(t, srcURL)
	file := filepath.Join(t.TempDir(), "treffen.dump")
	dump, err := store.PgDumpCommand(srcURL, file)
	if err != nil {
		t.Fatal(err)
	}
	if err := dump.Run(ctx); err != nil {
		t.Fatalf("%s: %v", dump, err)
	}
	dstURL := storetest.URL(t)
	restore, err := store.PgRestoreCommand(dstURL, file)
	if err != nil {
		t.Fatal(err)
	}
	if err := restore.Run(ctx); err != nil {
		t.Fatalf("%s: %v", restore, err)
	}
	dst, err := store.Open(ctx, dstURL)
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	if err := dst.Ready(ctx); err != nil {
		t.Fatalf("restored database not ready: %v", err)
	}
	var tables []string
	if err := src.Gorm.Raw("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'").Scan(&tables).Error; err != nil {
		t.Fatal(err)
	}
	sort.Strings(tables)
	if len(tables) < 10 {
		t.Fatalf("only %d tables: %v", len(tables), tables)
	}
	var rows int64
	for _, tb := range tables {
		q := "SELECT count(*) FROM " + tb
		a, b := count(t, src, q), count(t, dst, q)
		if a != b {
			t.Errorf("%s: %d rows, restored %d", tb, a, b)
		}
		rows += a
	}
	if count(t, src, "SELECT count(*) FROM registrations") == 0 || count(t, src, "SELECT count(*) FROM mail_outbox") == 0 {
		t.Error("the demo data has no registrations or mails to compare")
	}
	t.Logf("%d tables, %d rows restored identically", len(tables), rows)

	// A second restore over the data replaces it (pg_restore --clean).
	if err := restore.Run(ctx); err != nil {
		t.Fatalf("restore over existing data: %v", err)
	}
	if a, b := count(t, src, "SELECT count(*) FROM registrations"), count(t, dst, "SELECT count(*) FROM registrations"); a != b {
		t.Errorf("after a second restore %d registrations, want %d", b, a)
	}
}

func TestPgCommandsKeepThePasswordOffTheCommandLine(t *testing.T) {
	c, err := store.PgDumpCommand("postgres://treffen:sehr%20geheim@db:5432/treffen?sslmode=disable", "/var/backups/treffen.dump")
	if err != nil {
		t.Fatal(err)
	}
	line := c.String()
	if strings.Contains(strings.Join(c.Args, " "), "geheim") || strings.Contains(line, "geheim") {
		t.Errorf("password on the command line: %s", line)
	}
	if len(c.Env) != 1 || c.Env[0] != "PGPASSWORD=sehr geheim" {
		t.Errorf("env %q", c.Env)
	}
	want := "PGPASSWORD=*** pg_dump --format=custom --no-owner --no-privileges --file=/var/backups/treffen.dump '--dbname=postgres://treffen@db:5432/treffen?sslmode=disable'"
	if line != want {
		t.Errorf("command\n got %s\nwant %s", line, want)
	}
	if _, err := store.PgDumpCommand("sqlite:./data/treffen.db", "x"); err == nil {
		t.Error("pg_dump for an SQLite URL")
	}
	err = store.PgCommand{Program: "pg_dump-gibt-es-nicht"}.Run(context.Background())
	if !errors.Is(err, store.ErrNoPgTool) {
		t.Errorf("missing tool: %v", err)
	}
}
