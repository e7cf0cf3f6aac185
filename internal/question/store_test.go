package question_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/question"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/store"
	"github.com/isa-nrw/treffen/internal/store/storetest"
)

type fixture struct {
	db     *store.DB
	events *event.Store
	qs     *question.Store
	regs   *registration.Store
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	db := storetest.Open(t)
	return &fixture{db: db, events: event.NewStore(db.Gorm), qs: question.NewStore(db.Gorm), regs: registration.NewStore(db.Gorm, nil)}
}

func ptr[T any](v T) *T { return &v }

func (f *fixture) event(t testing.TB, capacity int) event.Event {
	t.Helper()
	days := day.List{day.Of(time.Now().AddDate(0, 1, 0))}
	ev, err := f.events.Create(context.Background(), event.Input{Kind: ptr(event.Lernnetzwerktreffen), Number: ptr(17),
		Days: &days, Capacity: ptr(capacity), Status: ptr(event.Published), VenueCity: ptr("Köln")})
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

func person(i int, answers question.Submitted) registration.Input {
	return registration.Input{FirstName: fmt.Sprintf("Erika%d", i), LastName: "Müller", Email: fmt.Sprintf("erika.%d@kommune.example", i),
		Organisation: "Stadt Test", PrivacyConsent: true, Answers: answers}
}

func (f *fixture) dinner(t testing.TB, eventID int64, capacity int) question.Question {
	t.Helper()
	q, err := f.qs.Create(context.Background(), eventID, question.Input{Kind: question.Single, Label: "Abendessen am 20.05.", Required: true,
		Options: []question.OptionInput{{Label: "Abendessen", Capacity: &capacity}, {Label: "Kein Abendessen"}}})
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func (f *fixture) option(t testing.TB, eventID, id int64) question.Option {
	t.Helper()
	qs, err := f.qs.List(context.Background(), eventID)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		for _, o := range q.Options {
			if o.ID == id {
				return o
			}
		}
	}
	t.Fatalf("option %d not found", id)
	return question.Option{}
}

// TestOptionCapacityUnderConcurrentRegistrations lets 100 people
// register at once, all choosing the dinner with 40 places, on a meeting
// with room for all of them: exactly 40 get the dinner, the others are
// refused at the question, and the count matches the answers stored.
func TestOptionCapacityUnderConcurrentRegistrations(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ev := f.event(t, 500)
	q := f.dinner(t, ev.ID, 40)
	dinner := q.Options[0].ID
	const people = 100
	var wg sync.WaitGroup
	errs := make([]error, people)
	start := make(chan struct{})
	for i := range people {
		wg.Go(func() {
			<-start
			_, errs[i] = f.regs.Register(ctx, ev.ID, person(i, question.Submitted{q.ID: {fmt.Sprint(dinner)}}), registration.Options{})
		})
	}
	close(start)
	wg.Wait()
	refused := 0
	for _, err := range errs {
		if err == nil {
			continue
		}
		pe, ok := problem.As(err)
		if !ok || pe.Fields[q.Field()] != question.FullMessage("Abendessen") {
			t.Fatalf("unexpected error: %v", err)
		}
		refused++
	}
	var stored int64
	if err := f.db.Gorm.Table("answers").Where("option_id = ?", dinner).Count(&stored).Error; err != nil {
		t.Fatal(err)
	}
	taken := f.option(t, ev.ID, dinner).Taken
	t.Logf("%s: %d registered with dinner, %d refused", storetest.Describe(), people-refused, refused)
	if taken != 40 || stored != 40 || refused != people-40 {
		t.Fatalf("%s: taken %d, answers %d, refused %d; want 40, 40, 60", storetest.Describe(), taken, stored, refused)
	}
}

// TestOptionPlacesFollowChangesAndCancellations: a change moves the
// place, a cancellation gives it back, and the last place goes to the
// next person.
func TestOptionPlacesFollowChangesAndCancellations(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ev := f.event(t, 10)
	q := f.dinner(t, ev.ID, 1)
	dinner, none := q.Options[0].ID, q.Options[1].ID
	choose := func(id int64) question.Submitted { return question.Submitted{q.ID: {fmt.Sprint(id)}} }
	a, err := f.regs.Register(ctx, ev.ID, person(1, choose(dinner)), registration.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.regs.Register(ctx, ev.ID, person(2, choose(dinner)), registration.Options{}); !problem.Is(err, problem.Invalid) {
		t.Fatalf("second dinner: %v", err)
	}
	// Keeping one's own full option on a change is no new choice.
	in := person(1, choose(dinner))
	in.Function = "Jugendhilfeplanung"
	if _, err := f.regs.Update(ctx, a.ID, in, audit.Participant); err != nil {
		t.Fatalf("change keeping the dinner: %v", err)
	}
	if _, err := f.regs.Update(ctx, a.ID, person(1, choose(none)), audit.Participant); err != nil {
		t.Fatal(err)
	}
	if got := f.option(t, ev.ID, dinner).Taken; got != 0 {
		t.Fatalf("after the change the dinner has %d taken", got)
	}
	b, err := f.regs.Register(ctx, ev.ID, person(2, choose(dinner)), registration.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.regs.Cancel(ctx, b.ID, audit.Participant); err != nil {
		t.Fatal(err)
	}
	if got := f.option(t, ev.ID, dinner).Taken; got != 0 {
		t.Fatalf("after the cancellation the dinner has %d taken", got)
	}
	if _, err := f.regs.Register(ctx, ev.ID, person(3, choose(dinner)), registration.Options{}); err != nil {
		t.Fatalf("the freed place: %v", err)
	}
	// A change without answers (nil) keeps them.
	if _, err := f.regs.Update(ctx, a.ID, person(1, nil), audit.Participant); err != nil {
		t.Fatal(err)
	}
	as, err := f.qs.Answers(ctx, a.ID)
	if err != nil || len(as) != 1 || *as[0].OptionID != none {
		t.Fatalf("answers kept: %+v %v", as, err)
	}
}

// TestRequiredQuestionRefusesRegistrationWithEveryMessage: the answers'
// messages come together with the other fields'.
func TestRequiredQuestionRefusesRegistrationWithEveryMessage(t *testing.T) {
	f := newFixture(t)
	ev := f.event(t, 10)
	q := f.dinner(t, ev.ID, 5)
	in := person(1, nil)
	in.FirstName = ""
	_, err := f.regs.Register(context.Background(), ev.ID, in, registration.Options{})
	pe, ok := problem.As(err)
	if !ok || pe.Fields["first_name"] == "" || pe.Fields[q.Field()] != question.RequiredMessage("Abendessen am 20.05.") {
		t.Fatalf("got %v", err)
	}
}

// TestEditingKeepsAnswersReadable: renaming, removing an option and
// deleting the question keep what was answered, labelled as given.
func TestEditingKeepsAnswersReadable(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ev := f.event(t, 10)
	q := f.dinner(t, ev.ID, 5)
	note, err := f.qs.Create(ctx, ev.ID, question.Input{Kind: question.ShortText, Label: "Dienststelle"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := f.regs.Register(ctx, ev.ID, person(1, question.Submitted{q.ID: {fmt.Sprint(q.Options[0].ID)}, note.ID: {"Jugendamt"}}), registration.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.qs.Update(ctx, ev.ID, q.ID, question.Input{Kind: question.Single, Label: "Essen", Options: []question.OptionInput{{ID: q.Options[1].ID, Label: "Kein Essen"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.qs.Update(ctx, ev.ID, note.ID, question.Input{Kind: question.Number, Label: "Dienststelle"}); !problem.Is(err, problem.Invalid) {
		t.Fatalf("changing the kind of an answered question: %v", err)
	}
	if err := f.qs.Delete(ctx, ev.ID, note.ID); err != nil {
		t.Fatal(err)
	}
	got, err := f.events.Get(ctx, ev.ID)
	if err != nil || got.QuestionCount != 1 {
		t.Fatalf("question count %d, %v", got.QuestionCount, err)
	}
	sh, err := f.qs.Sheet(ctx, ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(sh.Questions) != 2 || question.Heading(sh.Questions[1]) != "Dienststelle (gelöscht)" {
		t.Fatalf("questions %+v", sh.Questions)
	}
	if sh.Text(r.ID, q.ID) != "Abendessen" || sh.Text(r.ID, note.ID) != "Jugendamt" {
		t.Fatalf("answers %q %q", sh.Text(r.ID, q.ID), sh.Text(r.ID, note.ID))
	}
}

// TestMoveAndCopy reorders questions and copies them to another meeting
// without the places taken.
func TestMoveAndCopy(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	from, to := f.event(t, 10), f.event(t, 10)
	q := f.dinner(t, from.ID, 5)
	second, err := f.qs.Create(ctx, from.ID, question.Input{Kind: question.YesNo, Label: "Übernachtung?", Help: "Im Tagungshotel"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.regs.Register(ctx, from.ID, person(1, question.Submitted{q.ID: {fmt.Sprint(q.Options[0].ID)}}), registration.Options{}); err != nil {
		t.Fatal(err)
	}
	if err := f.qs.Move(ctx, from.ID, second.ID, true); err != nil {
		t.Fatal(err)
	}
	n, err := f.qs.Copy(ctx, to.ID, from.ID)
	if err != nil || n != 2 {
		t.Fatalf("copied %d: %v", n, err)
	}
	copied, err := f.qs.List(ctx, to.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(copied) != 2 || copied[0].Label != "Übernachtung?" || copied[0].Help != "Im Tagungshotel" || copied[1].Label != "Abendessen am 20.05." {
		t.Fatalf("copied %+v", copied)
	}
	if o := copied[1].Options[0]; o.Label != "Abendessen" || *o.Capacity != 5 || o.Taken != 0 {
		t.Fatalf("copied option %+v", o)
	}
	ev, err := f.events.Get(ctx, to.ID)
	if err != nil || ev.QuestionCount != 2 {
		t.Fatalf("count %d %v", ev.QuestionCount, err)
	}
}

// TestWalkInNeedsNoAnswers: at the door a required question does not
// stop the registration; a change of answers is in the audit log.
func TestWalkInNeedsNoAnswers(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ev := f.event(t, 10)
	q := f.dinner(t, ev.ID, 5)
	r, err := f.regs.Register(ctx, ev.ID, person(1, nil), registration.Options{WalkIn: true})
	if err != nil {
		t.Fatalf("walk-in: %v", err)
	}
	if _, err := f.regs.Update(ctx, r.ID, person(1, question.Submitted{q.ID: {fmt.Sprint(q.Options[1].ID)}}), audit.Participant); err != nil {
		t.Fatal(err)
	}
	var details []string
	if err := f.db.Gorm.Table("audit_log").Where("object_id = ? AND action = ?", r.ID, audit.RegistrationUpdated).Pluck("details", &details).Error; err != nil {
		t.Fatal(err)
	}
	if len(details) != 1 || details[0] != "Antworten auf die Fragen" {
		t.Fatalf("audit %q", details)
	}
}
