package registration_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/store"
	"github.com/isa-nrw/treffen/internal/store/storetest"
)

// Links sent before manage links were hashed keep working after the
// upgrade, and the plain tokens are gone from the database.
func TestManageLinksHashedByMigrationKeepWorking(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, storetest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if err := db.MigrateTo(ctx, 8); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	ev := map[string]any{"title": "Lernnetzwerktreffen", "kind": "lernnetzwerktreffen", "days": "2027-03-03",
		"capacity": 70, "status": "published", "created_at": now, "updated_at": now}
	if err := db.Gorm.Table("events").Create(ev).Error; err != nil {
		t.Fatal(err)
	}
	var eventID int64
	if err := db.Gorm.Raw("SELECT id FROM events").Scan(&eventID).Error; err != nil {
		t.Fatal(err)
	}
	tokens := []string{"alter-link-1-abcdefghijklmnopqrstuvwxyz0123456789ABC", "alter-link-2-abcdefghijklmnopqrstuvwxyz0123456789ABC"}
	for i, token := range tokens {
		reg := map[string]any{"event_id": eventID, "first_name": "Anna", "last_name": "Alt", "email": []string{"a@koeln.de", "b@koeln.de"}[i],
			"organisation": "Jugendamt", "days": "2027-03-03", "status": "confirmed", "manage_token": token, "checkin_code": []string{"A1", "B2"}[i],
			"privacy_consent_at": now, "created_at": now, "updated_at": now}
		if err := db.Gorm.Table("registrations").Create(reg).Error; err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Migrate(ctx, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatalf("upgrade: %v", err)
	}
	regs := registration.NewStore(db.Gorm, nil)
	for _, token := range tokens {
		r, err := regs.ByToken(ctx, token)
		if err != nil || r.Email == "" {
			t.Errorf("link sent before the upgrade: %v", err)
		}
	}
	var plain int64
	if err := db.Gorm.Raw("SELECT count(*) FROM manage_links WHERE token_hash IN ?", tokens).Scan(&plain).Error; err != nil {
		t.Fatal(err)
	}
	if plain != 0 {
		t.Error("manage_links holds plain tokens")
	}
	if err := db.Gorm.Exec("SELECT manage_token FROM registrations").Error; err == nil {
		t.Error("registrations.manage_token still exists")
	}
}

// A backup of the database opens nobody's registration: it holds hashes
// only, and every mail's link is one of its own.
func TestManageLinksAreNotInTheDatabase(t *testing.T) {
	if storetest.Dialect() != "sqlite" {
		const why = "reads the SQLite file; the PostgreSQL schema is the same and the upgrade test covers it"
		fmt.Printf("SKIP %s: %s\n", t.Name(), why)
		t.Skip(why)
	}
	ctx := context.Background()
	dir := t.TempDir()
	db, err := store.Open(ctx, "sqlite:"+filepath.Join(dir, "live.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if _, err := db.Migrate(ctx, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	f := &fixture{db: db, events: event.NewStore(db.Gorm), regs: registration.NewStore(db.Gorm, nil)}
	ev := f.mustEvent(t, 10, 0)
	in := person(1, nil)
	in.Organisation = "LVR-Landesjugendamt"
	r, err := f.regs.Register(ctx, ev.ID, in, registration.Options{})
	if err != nil {
		t.Fatal(err)
	}
	second, err := f.regs.IssueManageLink(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if second == r.ManageToken {
		t.Fatal("a new link repeats the old one")
	}
	for _, token := range []string{r.ManageToken, second} {
		if got, err := f.regs.ByToken(ctx, token); err != nil || got.ID != r.ID {
			t.Errorf("link %s…: %v", token[:6], err)
		}
	}
	backup := filepath.Join(dir, "backup.db")
	if err := db.BackupSQLite(ctx, backup, false); err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(backup)
	if err != nil {
		t.Fatal(err)
	}
	for _, token := range []string{r.ManageToken, second} {
		if strings.Contains(string(raw), token) {
			t.Errorf("the backup holds a manage link in clear")
		}
	}
}
