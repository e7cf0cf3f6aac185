package demo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/survey"
)

// takeaways are free texts of the kind participants write.
var takeaways = []string{
	"Viele Anregungen aus den Praxisbeispielen der anderen Kommunen.",
	"Kontakte zu Kolleginnen und Kollegen, die an ähnlichen Fragen arbeiten.",
	"Die Idee, Lotsen im Sozialraum einzusetzen, wollen wir bei uns prüfen.",
	"Mehr Zeit für die Arbeitsgruppen wäre schön gewesen.",
	"Mut, die Eltern früher und verbindlicher zu beteiligen.",
	"Konkrete Hinweise zur Steuerung der Präventionskette.",
	"Der Austausch in der Pause war mindestens so wertvoll wie die Vorträge.",
}

// Feedback gives each past Lernnetzwerktreffen with confirmed or
// checked-in people the default survey, sent the day after the meeting
// for two weeks, and answers from about two thirds of those asked, as
// if given then. It returns the number of answer sets. Meetings with a
// survey already are left as they are; the mails the sending queues
// are not sent, the survey being over.
func Feedback(ctx context.Context, surveys *survey.Store, events *event.Store, regs *registration.Store, now time.Time) (int, error) {
	all, err := events.List(ctx, event.Filter{Now: now})
	if err != nil {
		return 0, fmt.Errorf("demo feedback: %w", err)
	}
	answered := 0
	for _, ev := range all {
		last := ev.Days.Last()
		if ev.Kind != event.Lernnetzwerktreffen || !last.Before(day.Today(now)) {
			continue
		}
		if _, err := surveys.Get(ctx, ev.ID); err == nil {
			continue
		}
		people, err := regs.List(ctx, ev.ID, registration.Filter{})
		if err != nil {
			return answered, fmt.Errorf("demo feedback: %w", err)
		}
		if len(people) == 0 {
			continue
		}
		// The survey's own time: the day after the meeting.
		then := last.At(10, 0).AddDate(0, 0, 1)
		st := surveys.WithClock(func() time.Time { return then })
		if _, err := st.AddDefaults(ctx, ev.ID); err != nil {
			return answered, err
		}
		if _, err := st.Schedule(ctx, ev.ID, last, survey.Period{OpensOn: day.Of(then), ClosesOn: day.Of(then.AddDate(0, 0, 14)), RemindDaysBefore: 3}); err != nil {
			return answered, err
		}
		if _, err := st.Send(ctx, ev.ID); err != nil {
			return answered, err
		}
		qs, err := st.Questions(ctx, ev.ID)
		if err != nil {
			return answered, err
		}
		rnd := rand.New(rand.NewPCG(uint64(ev.ID), 2014))
		for _, p := range people {
			if rnd.IntN(3) == 0 {
				continue // did not answer
			}
			token, err := st.IssueLink(ctx, ev.ID, p.ID)
			if errors.Is(err, survey.ErrUnknownLink) {
				continue // not asked: not checked in
			}
			if err != nil {
				return answered, err
			}
			if err := st.Submit(ctx, token, plausibleAnswers(rnd, qs)); err != nil {
				return answered, fmt.Errorf("demo feedback for %s: %w", ev.Name(), err)
			}
			answered++
		}
	}
	return answered, nil
}

// plausibleAnswers rates mostly 4 and 5, the working groups a little
// lower, and writes a free text now and then.
func plausibleAnswers(rnd *rand.Rand, qs []survey.Question) survey.Answers {
	a := survey.Answers{}
	for i, q := range qs {
		switch q.Kind {
		case survey.Rating:
			n := []int{3, 4, 4, 4, 5, 5, 5}[rnd.IntN(7)]
			if i == 2 && n > 3 && rnd.IntN(3) == 0 {
				n--
			}
			a[q.ID] = []string{strconv.Itoa(n)}
		case survey.Text:
			if rnd.IntN(2) == 0 {
				a[q.ID] = []string{takeaways[rnd.IntN(len(takeaways))]}
			}
		}
	}
	return a
}
