package document

import (
	"bytes"
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/isa-nrw/treffen/internal/agenda"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/workinggroup"
)

// ProgrammePDF prints a meeting's programme as it is in the database at
// generatedAt: the file mails carry, built the same way wherever a mail
// is rendered.
func ProgrammePDF(ctx context.Context, db *gorm.DB, eventID int64, generatedAt time.Time) ([]byte, error) {
	ev, err := event.NewStore(db).Get(ctx, eventID)
	if err != nil {
		return nil, err
	}
	items, err := agenda.NewStore(db).Items(ctx, eventID)
	if err != nil {
		return nil, err
	}
	groups := workinggroup.NewStore(db)
	slots, err := groups.Slots(ctx, eventID)
	if err != nil {
		return nil, err
	}
	gs, err := groups.Groups(ctx, eventID)
	if err != nil {
		return nil, err
	}
	munis, err := municipality.NewStore(db).ByID(ctx)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := Programme(&buf, &ev, items, slots, gs, munis, generatedAt); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
