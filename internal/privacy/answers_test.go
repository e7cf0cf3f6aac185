package privacy_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/isa-nrw/treffen/internal/question"
	"github.com/isa-nrw/treffen/internal/registration"
)

// TestAnswersInExportAndAnonymisation: the person's export lists the
// answers to the meeting's questions; anonymising deletes what was typed
// and keeps the options chosen, which count like the wishes.
func TestAnswersInExportAndAnonymisation(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	old := f.meeting(13, 10)
	qs := question.NewStore(f.db.Gorm)
	note, err := qs.Create(ctx, old.ID, question.Input{Kind: question.LongText, Label: "Anmerkungen"})
	if err != nil {
		t.Fatal(err)
	}
	food, err := qs.Create(ctx, old.ID, question.Input{Kind: question.Multiple, Label: "Essen",
		Options: []question.OptionInput{{Label: "Mittag"}, {Label: "Abend"}}})
	if err != nil {
		t.Fatal(err)
	}
	r, err := f.regs.Register(ctx, old.ID, registration.Input{FirstName: "Alwine", LastName: "Zyxwort", Email: "alwine@ahlen.example",
		MunicipalityID: &f.ahlen, PrivacyConsent: true, Answers: question.Submitted{note.ID: {"Ich bringe Frau Zyxwort mit."},
			food.ID: {fmt.Sprint(food.Options[0].ID), fmt.Sprint(food.Options[1].ID)}}}, registration.Options{IgnoreWindow: true})
	if err != nil {
		t.Fatal(err)
	}
	exp, err := f.privacy.Person(ctx, "alwine@ahlen.example")
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(exp.Registrations[0].Answers)
	if got != "[{Anmerkungen Ich bringe Frau Zyxwort mit.} {Essen Mittag, Abend}]" {
		t.Fatalf("export answers %s", got)
	}
	if _, err := f.privacy.Anonymise(ctx, 12, false); err != nil {
		t.Fatal(err)
	}
	left, err := qs.Answers(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(left) != 2 || left[0].OptionID == nil || left[1].OptionID == nil {
		t.Fatalf("after anonymising: %+v", left)
	}
}
