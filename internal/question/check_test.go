package question

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/problem"
)

func ptr[T any](v T) *T { return &v }

func sampleQuestions() []Question {
	return []Question{
		{ID: 1, Kind: ShortText, Label: "Dienststelle", Required: true},
		{ID: 2, Kind: LongText, Label: "Anmerkungen"},
		{ID: 3, Kind: YesNo, Label: "Übernachtung?"},
		{ID: 4, Kind: Single, Label: "Abendessen", Options: []Option{
			{ID: 40, Label: "Vegetarisch", Capacity: ptr(40)}, {ID: 41, Label: "Mit Fleisch"},
			{ID: 42, Label: "Gestrichen", DeletedAt: ptr(time.Now())}}},
		{ID: 5, Kind: Multiple, Label: "Workshops", Options: []Option{{ID: 50, Label: "A"}, {ID: 51, Label: "B"}, {ID: 52, Label: "C"}}},
		{ID: 6, Kind: Number, Label: "Begleitpersonen"},
	}
}

func TestCheckAcceptsEveryKind(t *testing.T) {
	var v problem.Validation
	got := Check(sampleQuestions(), Submitted{
		1: {"  Jugendamt   Köln "}, 2: {"Zeile 1\r\nZeile 2"}, 3: {"ja"}, 4: {"41"}, 5: {"52", "50", "52"}, 6: {"+2"},
	}, &v)
	if err := v.Err(); err != nil {
		t.Fatal(err)
	}
	want := []Answer{
		{QuestionID: 1, Value: "Jugendamt Köln"}, {QuestionID: 2, Value: "Zeile 1\nZeile 2"}, {QuestionID: 3, Value: Yes},
		{QuestionID: 4, OptionID: ptr(int64(41)), Value: "Mit Fleisch"},
		{QuestionID: 5, OptionID: ptr(int64(50)), Value: "A"}, {QuestionID: 5, OptionID: ptr(int64(52)), Value: "C"},
		{QuestionID: 6, Value: "2"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("answers\n got %+v\nwant %+v", got, want)
	}
}

func TestCheckSaysWhatIsWrongPerQuestion(t *testing.T) {
	var v problem.Validation
	Check(sampleQuestions(), Submitted{2: {string(make([]rune, 2001))}, 3: {"vielleicht"}, 4: {"42"}, 5: {"99"}, 6: {"zwei"}, 77: {"x"}}, &v)
	pe, _ := problem.As(v.Err())
	if pe == nil {
		t.Fatal("no error")
	}
	want := map[string]string{
		"q_1":     "Bitte beantworten Sie die Frage „Dienststelle“.",
		"q_2":     "Bitte höchstens 2000 Zeichen.",
		"q_3":     "Bitte wählen Sie „Ja“ oder „Nein“.",
		"q_4":     "Bitte wählen Sie aus den angebotenen Möglichkeiten.", // a deleted option
		"q_5":     "Bitte wählen Sie aus den angebotenen Möglichkeiten.",
		"q_6":     "Bitte geben Sie eine ganze Zahl an, z. B. 2.",
		"answers": "Die Frage 77 gibt es bei dieser Veranstaltung nicht.",
	}
	if !reflect.DeepEqual(pe.Fields, want) {
		t.Fatalf("fields\n got %v\nwant %v", pe.Fields, want)
	}
}

func TestCheckOneAnswerOnlyWhereOneIsAsked(t *testing.T) {
	var v problem.Validation
	Check(sampleQuestions(), Submitted{1: {"a"}, 4: {"40", "41"}}, &v)
	pe, _ := problem.As(v.Err())
	if pe == nil || pe.Fields["q_4"] != "Bitte geben Sie hier nur eine Antwort." {
		t.Fatalf("got %v", v.Err())
	}
}

func TestSubmittedReadsTheAPIForm(t *testing.T) {
	var s Submitted
	if err := json.Unmarshal([]byte(`{"1":"Jugendamt","3":true,"4":41,"5":[50,"52"],"6":12,"2":null}`), &s); err != nil {
		t.Fatal(err)
	}
	want := Submitted{1: {"Jugendamt"}, 3: {Yes}, 4: {"41"}, 5: {"50", "52"}, 6: {"12"}, 2: nil}
	if !reflect.DeepEqual(s, want) {
		t.Fatalf("got %v want %v", s, want)
	}
	for _, bad := range []string{`{"x":1}`, `{"1":{"a":1}}`, `[1]`} {
		if err := json.Unmarshal([]byte(bad), &s); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
	var v problem.Validation
	got := APIValues(sampleQuestions(), Check(sampleQuestions(), s, &v))
	out, _ := json.Marshal(got)
	if string(out) != `{"1":"Jugendamt","3":true,"4":41,"5":[50,52],"6":12}` {
		t.Fatalf("API values %s", out)
	}
}

func TestOptionFullAndFree(t *testing.T) {
	o := Option{Capacity: ptr(2), Taken: 2}
	if !o.Full() || o.Free() != 0 {
		t.Fatal("2 of 2 taken is full")
	}
	if (Option{Taken: 500}).Full() || (Option{}).Free() != -1 {
		t.Fatal("no limit is never full")
	}
}
