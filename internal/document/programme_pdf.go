package document

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/isa-nrw/treffen/internal/agenda"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/workinggroup"
)

// ProgrammeStores are the stores a meeting's programme is read from.
type ProgrammeStores struct {
	Events         *event.Store
	Agenda         *agenda.Store
	WorkingGroups  *workinggroup.Store
	Municipalities *municipality.Store
}

// ProgrammePDF renders a meeting's programme as read from the stores
// now, for attaching to mails; nil when the meeting has no programme.
func ProgrammePDF(ctx context.Context, st ProgrammeStores, eventID int64, now time.Time) ([]byte, error) {
	ev, err := st.Events.Get(ctx, eventID)
	if err != nil {
		return nil, err
	}
	items, err := st.Agenda.Items(ctx, eventID)
	if err != nil {
		return nil, err
	}
	if len(items) == 0 {
		return nil, nil
	}
	slots, err := st.WorkingGroups.Slots(ctx, eventID)
	if err != nil {
		return nil, err
	}
	groups, err := st.WorkingGroups.Groups(ctx, eventID)
	if err != nil {
		return nil, err
	}
	munis, err := st.Municipalities.ByID(ctx)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := Programme(&buf, &ev, items, slots, groups, munis, now); err != nil {
		return nil, fmt.Errorf("programme of event %d: %w", eventID, err)
	}
	return buf.Bytes(), nil
}
