package demo_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/demo"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/store/storetest"
	"github.com/isa-nrw/treffen/internal/survey"
)

// TestFeedbackAnswersPastMeetings: a past meeting with twelve people
// gets the default survey and answers from some of them; a second run
// changes nothing.
func TestFeedbackAnswersPastMeetings(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t)
	events, regs, surveys := event.NewStore(db.Gorm), registration.NewStore(db.Gorm, nil), survey.NewStore(db.Gorm)
	days := day.List{day.Of(time.Now().AddDate(0, 1, 0))}
	kind, n, capacity, status := event.Lernnetzwerktreffen, 24, 70, event.Published
	ev, err := events.Create(ctx, event.Input{Kind: &kind, Number: &n, Days: &days, Capacity: &capacity, Status: &status})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 12 {
		if _, err := regs.Register(ctx, ev.ID, registration.Input{FirstName: fmt.Sprint("P", i), LastName: "Demo",
			Email: fmt.Sprintf("p%d@kommune.example", i), Organisation: "Stadt Demo", PrivacyConsent: true}, registration.Options{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := db.Gorm.Exec("UPDATE events SET days = ? WHERE id = ?", day.List{day.Of(time.Now().AddDate(0, -2, 0))}, ev.ID).Error; err != nil {
		t.Fatal(err)
	}
	got, err := demo.Feedback(ctx, surveys, events, regs, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	counts, err := surveys.Counts(ctx, ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got < 4 || got > 12 || counts.Answered != got || counts.Invited != 12 {
		t.Fatalf("%d answer sets, counts %+v", got, counts)
	}
	if again, err := demo.Feedback(ctx, surveys, events, regs, time.Now()); err != nil || again != 0 {
		t.Errorf("second run: %d, %v", again, err)
	}
}
