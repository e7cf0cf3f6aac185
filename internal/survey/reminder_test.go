package survey_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/survey"
)

func TestAutoReminderDue(t *testing.T) {
	closes := day.MustParse("2027-06-20")
	sent := day.MustParse("2027-06-07").At(10, 0)
	at := func(d string) time.Time { return day.MustParse(d).At(8, 0) }
	base := survey.Survey{OpensOn: day.MustParse("2027-06-07"), ClosesOn: closes, RemindDaysBefore: 3, SentAt: &sent}
	if got := base.AutoRemindOn(); got != day.MustParse("2027-06-17") {
		t.Fatalf("reminder day = %s, want 2027-06-17", got)
	}
	reminded := base
	reminded.RemindedAt = &sent
	none := base
	none.RemindDaysBefore = 0
	unsent := base
	unsent.SentAt = nil
	late := base
	lateSent := day.MustParse("2027-06-18").At(9, 0)
	late.SentAt = &lateSent
	for _, c := range []struct {
		name string
		sv   survey.Survey
		now  time.Time
		want bool
	}{
		{"the day before", base, at("2027-06-16"), false},
		{"on the day", base, at("2027-06-17"), true},
		{"missed while down, caught up", base, at("2027-06-19"), true},
		{"on the last day", base, at("2027-06-20"), true},
		{"after the end", base, at("2027-06-21"), false},
		{"reminded by hand before", reminded, at("2027-06-17"), false},
		{"no automatic reminder", none, at("2027-06-17"), false},
		{"not sent", unsent, at("2027-06-17"), false},
		{"sent after the reminder day, same day", late, at("2027-06-18").Add(10 * time.Hour), false},
		{"sent after the reminder day, next day", late, at("2027-06-19"), true},
	} {
		if got := c.sv.AutoReminderDue(c.now); got != c.want {
			t.Errorf("%s: due = %v, want %v", c.name, got, c.want)
		}
	}
	if !none.AutoRemindOn().IsZero() {
		t.Errorf("no reminder has a day: %s", none.AutoRemindOn())
	}
}

// reminderRecipients are the addresses of the queued feedback reminders.
func (f *fixture) reminderRecipients(t *testing.T) []string {
	t.Helper()
	var got []string
	if err := f.db.Gorm.Model(&outbox.Message{}).Where("kind = ?", outbox.FeedbackReminder).Order("recipient").Pluck("recipient", &got).Error; err != nil {
		t.Fatal(err)
	}
	return got
}

// TestRemindDueRemindsThoseWithoutAnswerOnce: the survey runs from the
// day after the meeting for two weeks, reminding three days before its
// end; the reminder goes on that day, once, to those who did not answer.
func TestRemindDueRemindsThoseWithoutAnswerOnce(t *testing.T) {
	f := newFixture(t, 3)
	ctx := context.Background()
	qs := f.readyReminding(t, 3)
	if err := f.surveys.Submit(ctx, f.link(t, f.people[0]), answers(qs, 5, "Danke")); err != nil {
		t.Fatal(err)
	}
	remindOn := f.ev.Days.Last().AddDays(11)
	if n, err := f.surveys.RemindDue(ctx, remindOn.AddDays(-1).At(23, 50)); err != nil || n != 0 {
		t.Fatalf("the evening before: %d mails, %v", n, err)
	}
	if got := f.reminderRecipients(t); len(got) != 0 {
		t.Fatalf("reminded too early: %v", got)
	}
	if n, err := f.surveys.RemindDue(ctx, remindOn.At(0, 10)); err != nil || n != 2 {
		t.Fatalf("on the day: %d mails, %v; want 2", n, err)
	}
	want := []string{f.people[1].Email, f.people[2].Email}
	if got := f.reminderRecipients(t); !slices.Equal(got, want) {
		t.Errorf("reminded %v, want %v", got, want)
	}
	if n, err := f.surveys.RemindDue(ctx, remindOn.At(9, 0)); err != nil || n != 0 {
		t.Errorf("again the same day: %d mails, %v", n, err)
	}
	if n, err := f.surveys.RemindDue(ctx, remindOn.AddDays(1).At(9, 0)); err != nil || n != 0 {
		t.Errorf("the next day: %d mails, %v", n, err)
	}
	sv, err := f.surveys.Get(ctx, f.ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	if sv.RemindedAt == nil || day.Today(*sv.RemindedAt) != remindOn {
		t.Errorf("reminded at %v, want on %s", sv.RemindedAt, remindOn)
	}
}

func TestReminderByHandReplacesTheAutomaticOne(t *testing.T) {
	f := newFixture(t, 2)
	ctx := context.Background()
	f.readyReminding(t, 3)
	if n, err := f.surveys.Remind(ctx, f.ev.ID); err != nil || n != 2 {
		t.Fatalf("by hand: %d mails, %v", n, err)
	}
	if n, err := f.surveys.RemindDue(ctx, f.ev.Days.Last().AddDays(11).At(9, 0)); err != nil || n != 0 {
		t.Errorf("automatic after the hand's: %d mails, %v", n, err)
	}
	if got := f.reminderRecipients(t); len(got) != 2 {
		t.Errorf("%d reminders queued, want 2", len(got))
	}
}

// TestTwoSchedulersRemindEachPersonOnce: two instances of the service
// run the reminder at the same moment.
func TestTwoSchedulersRemindEachPersonOnce(t *testing.T) {
	f := newFixture(t, 12)
	ctx := context.Background()
	f.readyReminding(t, 5)
	at := f.ev.Days.Last().AddDays(9).At(6, 0)
	var wg sync.WaitGroup
	counts := make([]int, 4)
	for i := range counts {
		wg.Go(func() {
			n, err := f.surveys.RemindDue(ctx, at)
			if err != nil {
				t.Error(err)
			}
			counts[i] = n
		})
	}
	wg.Wait()
	total := 0
	for _, n := range counts {
		total += n
	}
	got := f.reminderRecipients(t)
	if total != 12 || len(got) != 12 || len(slices.Compact(got)) != 12 {
		t.Errorf("counted %d, queued %d (%d distinct); want 12 each", total, len(got), len(slices.Compact(got)))
	}
}

// TestNoAutomaticReminderAfterTheEnd: a round that comes late still
// reminds on the last day, and never after it.
func TestNoAutomaticReminderAfterTheEnd(t *testing.T) {
	f := newFixture(t, 2)
	ctx := context.Background()
	f.readyReminding(t, 3)
	closes := f.ev.Days.Last().AddDays(14)
	if n, err := f.surveys.RemindDue(ctx, closes.AddDays(1).At(0, 5)); err != nil || n != 0 {
		t.Fatalf("after the end: %d mails, %v", n, err)
	}
	if n, err := f.surveys.RemindDue(ctx, closes.At(23, 55)); err != nil || n != 2 {
		t.Errorf("late on the last day: %d mails, %v; want 2", n, err)
	}
}
