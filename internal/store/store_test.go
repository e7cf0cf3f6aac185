package store_test

import (
	"context"
	"testing"

	"github.com/isa-nrw/treffen/internal/store/storetest"
)

func TestMigrateIsCurrentAndIdempotent(t *testing.T) {
	db := storetest.Open(t)
	ctx := context.Background()
	if err := db.Ready(ctx); err != nil {
		t.Fatalf("ready after migrate: %v", err)
	}
	n, err := db.Migrate(ctx, nil)
	if err != nil {
		t.Fatalf("second migrate: %v", err)
	}
	if n != 0 {
		t.Fatalf("second migrate applied %d migrations, want 0", n)
	}
	var tables int64
	q := "SELECT count(*) FROM sqlite_master WHERE type='table' AND name IN ('events','registrations','mail_outbox','municipalities','users')"
	if db.IsPostgres() {
		q = "SELECT count(*) FROM information_schema.tables WHERE table_name IN ('events','registrations','mail_outbox','municipalities','users')"
	}
	if err := db.Gorm.Raw(q).Scan(&tables).Error; err != nil {
		t.Fatal(err)
	}
	if tables != 5 {
		t.Fatalf("found %d of 5 core tables", tables)
	}
}
