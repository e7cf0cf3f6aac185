package survey_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/checkin"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/store"
	"github.com/isa-nrw/treffen/internal/store/storetest"
	"github.com/isa-nrw/treffen/internal/survey"
)

type fixture struct {
	db      *store.DB
	events  *event.Store
	regs    *registration.Store
	surveys *survey.Store
	now     time.Time
	ev      event.Event
	people  []registration.Registration
}

func ptr[T any](v T) *T { return &v }

// newFixture makes a meeting a month ahead with n confirmed people and a
// survey clock on the second day after it.
func newFixture(t testing.TB, n int) *fixture {
	t.Helper()
	ctx := context.Background()
	db := storetest.Open(t)
	f := &fixture{db: db, events: event.NewStore(db.Gorm), regs: registration.NewStore(db.Gorm, nil)}
	meeting := day.Of(time.Now().AddDate(0, 1, 0))
	days := day.List{meeting}
	ev, err := f.events.Create(ctx, event.Input{Kind: ptr(event.Lernnetzwerktreffen), Number: ptr(21), Days: &days,
		Capacity: ptr(100), Status: ptr(event.Published), VenueCity: ptr("Wuppertal")})
	if err != nil {
		t.Fatal(err)
	}
	f.ev = ev
	for i := range n {
		r, err := f.regs.Register(ctx, ev.ID, registration.Input{FirstName: fmt.Sprintf("Person%d", i), LastName: "Beispiel",
			Email: fmt.Sprintf("person.%d@kommune.example", i), Organisation: "Stadt Test", PrivacyConsent: true}, registration.Options{})
		if err != nil {
			t.Fatal(err)
		}
		f.people = append(f.people, r)
	}
	f.now = meeting.At(12, 0).AddDate(0, 0, 2)
	f.surveys = survey.NewStore(db.Gorm).WithClock(func() time.Time { return f.now })
	return f
}

// ready gives the meeting the default questionnaire, a survey from the
// day after the meeting for two weeks, and sends it.
func (f *fixture) ready(t testing.TB) []survey.Question { return f.readyReminding(t, 0) }

// readyReminding is ready with an automatic reminder remindDays before
// the last day.
func (f *fixture) readyReminding(t testing.TB, remindDays int) []survey.Question {
	t.Helper()
	ctx := context.Background()
	if _, err := f.surveys.AddDefaults(ctx, f.ev.ID); err != nil {
		t.Fatal(err)
	}
	last := f.ev.Days.Last()
	p := survey.Period{OpensOn: last.AddDays(1), ClosesOn: last.AddDays(14), RemindDaysBefore: remindDays}
	if _, err := f.surveys.Schedule(ctx, f.ev.ID, last, p); err != nil {
		t.Fatal(err)
	}
	if _, err := f.surveys.Send(ctx, f.ev.ID); err != nil {
		t.Fatal(err)
	}
	qs, err := f.surveys.Questions(ctx, f.ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	return qs
}

func (f *fixture) link(t testing.TB, r registration.Registration) string {
	t.Helper()
	token, err := f.surveys.IssueLink(context.Background(), f.ev.ID, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	return token
}

func answers(qs []survey.Question, overall int, text string) survey.Answers {
	return survey.Answers{qs[0].ID: {fmt.Sprint(overall)}, qs[4].ID: {text}}
}

func TestDefaultsAndLockAfterSending(t *testing.T) {
	f := newFixture(t, 1)
	ctx := context.Background()
	qs := f.ready(t)
	var labels []string
	for _, q := range qs {
		labels = append(labels, q.Label)
	}
	want := []string{"Wie zufrieden sind Sie insgesamt mit dem Treffen?", "Wie zufrieden sind Sie mit den Inhalten/Inputs?",
		"Wie zufrieden sind Sie mit den Arbeitsgruppen?", "Wie zufrieden sind Sie mit Organisation und Ablauf?", "Was nehmen Sie mit?"}
	if !slices.Equal(labels, want) {
		t.Fatalf("defaults = %q", labels)
	}
	if qs[0].LowLabel != "gar nicht zufrieden" || qs[0].HighLabel != "sehr zufrieden" || !qs[0].Required {
		t.Errorf("overall rating = %+v", qs[0])
	}
	if _, err := f.surveys.Save(ctx, f.ev.ID, 0, survey.Input{Kind: survey.Text, Label: "Noch etwas?"}); !errors.Is(err, survey.ErrLocked) {
		t.Errorf("adding after sending: %v, want ErrLocked", err)
	}
}

func TestScheduleRules(t *testing.T) {
	f := newFixture(t, 0)
	last := f.ev.Days.Last()
	_, err := f.surveys.Schedule(context.Background(), f.ev.ID, last, survey.Period{OpensOn: last, ClosesOn: last})
	if pe, ok := problem.As(err); !ok || !strings.Contains(pe.Fields["opens_on"], "Tag nach der Veranstaltung") {
		t.Errorf("opening on the meeting's day: %v", err)
	}
	// Three days before the end of a three-day survey is its first day.
	short := survey.Period{OpensOn: last.AddDays(1), ClosesOn: last.AddDays(3), RemindDaysBefore: 3}
	_, err = f.surveys.Schedule(context.Background(), f.ev.ID, last, short)
	if pe, ok := problem.As(err); !ok || !strings.Contains(pe.Fields["remind_days_before"], "nicht nach dem Beginn") {
		t.Errorf("reminding before the survey runs: %v", err)
	}
	short.RemindDaysBefore = 4
	_, err = f.surveys.Schedule(context.Background(), f.ev.ID, last, short)
	if pe, ok := problem.As(err); !ok || pe.Fields["remind_days_before"] != "Bitte wählen Sie eine der angebotenen Erinnerungen." {
		t.Errorf("a reminder not offered: %v", err)
	}
	if _, err := f.surveys.Get(context.Background(), f.ev.ID); !problem.Is(err, problem.NotFound) {
		t.Errorf("a refused period was stored: %v", err)
	}
}

// TestSendAsksCheckedInWhenCheckInWasUsed: with check-ins only those who
// came are asked; a second send asks nobody twice.
func TestSendAsksCheckedInWhenCheckInWasUsed(t *testing.T) {
	f := newFixture(t, 3)
	ctx := context.Background()
	if _, err := checkin.NewStore(f.db.Gorm).Record(ctx, f.ev, f.people[1], f.ev.Days.First(), nil); err != nil {
		t.Fatal(err)
	}
	f.ready(t)
	var got []string
	if err := f.db.Gorm.Model(&outbox.Message{}).Where("kind = ?", outbox.FeedbackRequest).Pluck("recipient", &got).Error; err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []string{f.people[1].Email}) {
		t.Fatalf("asked %v, want only the person checked in", got)
	}
	if n, err := f.surveys.Send(ctx, f.ev.ID); err != nil || n != 0 {
		t.Errorf("second send asked %d (%v), want 0", n, err)
	}
}

// TestOneAnswerPerLink: a link answers once; the second submission is
// refused with a German message; the reminder skips who answered and
// goes at most once per person.
func TestOneAnswerPerLink(t *testing.T) {
	f := newFixture(t, 2)
	ctx := context.Background()
	qs := f.ready(t)
	token := f.link(t, f.people[0])
	if _, err := f.surveys.Open(ctx, token); err != nil {
		t.Fatal(err)
	}
	if err := f.surveys.Submit(ctx, token, answers(qs, 5, "Viel")); err != nil {
		t.Fatal(err)
	}
	err := f.surveys.Submit(ctx, token, answers(qs, 1, "Nochmal"))
	if !errors.Is(err, survey.ErrAnswered) {
		t.Fatalf("second submission: %v, want ErrAnswered", err)
	}
	if _, err := f.surveys.Open(ctx, token); !errors.Is(err, survey.ErrAnswered) {
		t.Errorf("opening after answering: %v", err)
	}
	if _, err := f.surveys.IssueLink(ctx, f.ev.ID, f.people[0].ID); !errors.Is(err, survey.ErrAnswered) {
		t.Errorf("a new link after answering: %v", err)
	}
	for range 2 {
		if _, err := f.surveys.Remind(ctx, f.ev.ID); err != nil {
			t.Fatal(err)
		}
	}
	var reminded []string
	if err := f.db.Gorm.Model(&outbox.Message{}).Where("kind = ?", outbox.FeedbackReminder).Pluck("recipient", &reminded).Error; err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(reminded, []string{f.people[1].Email}) {
		t.Errorf("reminded %v, want only who has not answered, once", reminded)
	}
	rs, err := f.surveys.Responses(ctx, f.ev.ID)
	if err != nil || len(rs) != 1 || rs[0].Answers[qs[4].ID][0] != "Viel" {
		t.Fatalf("responses = %+v, %v", rs, err)
	}
}

// TestConcurrentSubmissionsOfOneLink: ten submissions of the same link
// at once store exactly one answer set.
func TestConcurrentSubmissionsOfOneLink(t *testing.T) {
	f := newFixture(t, 1)
	ctx := context.Background()
	qs := f.ready(t)
	token := f.link(t, f.people[0])
	var wg sync.WaitGroup
	errs := make([]error, 10)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = f.surveys.Submit(ctx, token, answers(qs, i%5+1, fmt.Sprint("Antwort ", i)))
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, survey.ErrAnswered):
			t.Errorf("unexpected error: %v", err)
		}
	}
	rs, err := f.surveys.Responses(ctx, f.ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	if ok != 1 || len(rs) != 1 {
		t.Fatalf("%d submissions accepted, %d answer sets stored; want 1 and 1", ok, len(rs))
	}
}

func TestRequiredAndClosingDate(t *testing.T) {
	f := newFixture(t, 1)
	ctx := context.Background()
	qs := f.ready(t)
	token := f.link(t, f.people[0])
	err := f.surveys.Submit(ctx, token, survey.Answers{qs[4].ID: {"nur Text"}})
	if pe, ok := problem.As(err); !ok || pe.Fields[qs[0].Field()] != "Bitte beantworten Sie diese Frage." {
		t.Fatalf("without the required rating: %v", err)
	}
	if err := f.surveys.Submit(ctx, token, survey.Answers{qs[0].ID: {"7"}}); !problem.Is(err, problem.Invalid) {
		t.Errorf("rating 7: %v", err)
	}
	f.now = f.now.AddDate(0, 0, 13) // the day after the closing day
	if _, err := f.surveys.Open(ctx, token); !errors.Is(err, survey.ErrEnded) || survey.ErrEnded.Message != "Die Befragung ist beendet." {
		t.Fatalf("after closing: %v", err)
	}
	if err := f.surveys.Submit(ctx, token, answers(qs, 4, "spät")); !errors.Is(err, survey.ErrEnded) {
		t.Errorf("submitting after closing: %v", err)
	}
	if _, err := f.surveys.Open(ctx, "unbekannt"); !errors.Is(err, survey.ErrUnknownLink) {
		t.Errorf("unknown link: %v", err)
	}
}
