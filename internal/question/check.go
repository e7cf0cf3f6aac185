package question

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/isa-nrw/treffen/internal/problem"
)

// FieldName is the form field and error key of question id: "q_12".
func FieldName(id int64) string { return "q_" + strconv.FormatInt(id, 10) }

// Submitted is what a person typed or chose, per question id: one value
// for text, number, yes/no and single choice (the option's id), the
// option ids for multiple choice. A question left out is not answered.
type Submitted map[int64][]string

// UnmarshalJSON reads the API's form: {"<question id>": "text" | 12 |
// true | <option id> | [<option id>, …] | null}.
func (s *Submitted) UnmarshalJSON(b []byte) error {
	if string(bytes.TrimSpace(b)) == "null" {
		return nil // like a map: null leaves it as it is
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	out := Submitted{}
	for key, v := range raw {
		id, err := strconv.ParseInt(key, 10, 64)
		if err != nil || id <= 0 {
			return fmt.Errorf("answers: %q is not a question id", key)
		}
		vals, err := jsonValues(v)
		if err != nil {
			return fmt.Errorf("answers: question %d: %w", id, err)
		}
		out[id] = vals
	}
	*s = out
	return nil
}

func jsonValues(v json.RawMessage) ([]string, error) {
	v = bytes.TrimSpace(v)
	switch {
	case len(v) == 0 || string(v) == "null":
		return nil, nil
	case v[0] == '[':
		var items []json.RawMessage
		if err := json.Unmarshal(v, &items); err != nil {
			return nil, err
		}
		var out []string
		for _, it := range items {
			vals, err := jsonValues(it)
			if err != nil {
				return nil, err
			}
			out = append(out, vals...)
		}
		return out, nil
	case v[0] == '"':
		var s string
		err := json.Unmarshal(v, &s)
		return []string{s}, err
	case string(v) == "true":
		return []string{Yes}, nil
	case string(v) == "false":
		return []string{No}, nil
	case v[0] == '{':
		return nil, fmt.Errorf("an object is no answer")
	}
	var n json.Number
	if err := json.Unmarshal(v, &n); err != nil {
		return nil, err
	}
	return []string{n.String()}, nil
}

// Limits of typed answers.
const (
	maxShort  = 200
	maxLong   = 2000
	maxNumber = 1_000_000_000
)

// Check validates what was submitted against the meeting's live
// questions and returns the answers to store. Messages are added to v
// under each question's Field; an answer to a question the meeting does
// not have goes under "answers". Whether a chosen option still has a
// place is decided when it is taken (Take), under the meeting's lock.
func Check(qs []Question, in Submitted, v *problem.Validation) []Answer {
	var out []Answer
	known := make(map[int64]bool, len(qs))
	for _, q := range qs {
		known[q.ID] = true
		got, msg := checkOne(q, in[q.ID])
		if msg == "" && len(got) == 0 && q.Required {
			msg = RequiredMessage(q.Label)
		}
		if msg != "" {
			v.Add(q.Field(), msg)
			continue
		}
		out = append(out, got...)
	}
	for id := range in {
		if !known[id] {
			v.Add("answers", "Die Frage "+strconv.FormatInt(id, 10)+" gibt es bei dieser Veranstaltung nicht.")
		}
	}
	return out
}

// checkOne returns the answers to q from vals, or a German message.
func checkOne(q Question, vals []string) ([]Answer, string) {
	var given []string
	for _, s := range vals {
		if s = strings.TrimSpace(s); s != "" {
			given = append(given, s)
		}
	}
	if len(given) == 0 {
		return nil, ""
	}
	if len(given) > 1 && q.Kind != Multiple {
		return nil, "Bitte geben Sie hier nur eine Antwort."
	}
	one := func(value string) []Answer { return []Answer{{QuestionID: q.ID, Value: value}} }
	switch q.Kind {
	case ShortText:
		s := strings.Join(strings.Fields(given[0]), " ")
		if utf8.RuneCountInString(s) > maxShort {
			return nil, "Bitte höchstens " + strconv.Itoa(maxShort) + " Zeichen."
		}
		return one(s), ""
	case LongText:
		s := strings.ReplaceAll(given[0], "\r\n", "\n")
		if utf8.RuneCountInString(s) > maxLong {
			return nil, "Bitte höchstens " + strconv.Itoa(maxLong) + " Zeichen."
		}
		return one(s), ""
	case YesNo:
		switch strings.ToLower(given[0]) {
		case "ja", "true", "1":
			return one(Yes), ""
		case "nein", "false", "0":
			return one(No), ""
		}
		return nil, "Bitte wählen Sie „Ja“ oder „Nein“."
	case Number:
		n, err := strconv.Atoi(strings.TrimPrefix(given[0], "+"))
		if err != nil {
			return nil, "Bitte geben Sie eine ganze Zahl an, z. B. 2."
		}
		if n > maxNumber || n < -maxNumber {
			return nil, "Diese Zahl ist zu groß."
		}
		return one(strconv.Itoa(n)), ""
	case Single, Multiple:
		var out []Answer
		for _, s := range given {
			id, err := strconv.ParseInt(s, 10, 64)
			o, ok := findOption(q, id)
			if err != nil || !ok {
				return nil, "Bitte wählen Sie aus den angebotenen Möglichkeiten."
			}
			if slices.ContainsFunc(out, func(a Answer) bool { return *a.OptionID == o.ID }) {
				continue
			}
			out = append(out, Answer{QuestionID: q.ID, OptionID: &o.ID, Value: o.Label})
		}
		// Stored and shown in the options' order, not the order sent.
		slices.SortFunc(out, func(a, b Answer) int { return optionIndex(q, *a.OptionID) - optionIndex(q, *b.OptionID) })
		return out, ""
	}
	return nil, "Diese Frage kann nicht beantwortet werden."
}

func findOption(q Question, id int64) (Option, bool) {
	for _, o := range q.Options {
		if o.ID == id && o.DeletedAt == nil {
			return o, true
		}
	}
	return Option{}, false
}

func optionIndex(q Question, id int64) int {
	return slices.IndexFunc(q.Options, func(o Option) bool { return o.ID == id })
}

// RequiredMessage is what a person reads at a required question left
// unanswered; it names the question, as the summary above the form
// lists it apart from the question.
func RequiredMessage(label string) string {
	return "Bitte beantworten Sie die Frage „" + label + "“."
}

// FullMessage is what a person reads at a question whose chosen option
// has no place left.
func FullMessage(label string) string {
	return "„" + label + "“ ist ausgebucht. Bitte wählen Sie etwas anderes."
}

// FormValues turns stored answers back into what the form shows
// checked or typed, per question.
func FormValues(as []Answer) Submitted {
	out := Submitted{}
	for _, a := range as {
		if a.OptionID != nil {
			out[a.QuestionID] = append(out[a.QuestionID], strconv.FormatInt(*a.OptionID, 10))
		} else {
			out[a.QuestionID] = append(out[a.QuestionID], a.Value)
		}
	}
	return out
}

// Has reports whether value was typed or chosen for question id (for
// checked boxes and selected radios).
func (s Submitted) Has(id int64, value string) bool { return slices.Contains(s[id], value) }

// HasOption is Has for an option id.
func (s Submitted) HasOption(id, optionID int64) bool {
	return s.Has(id, strconv.FormatInt(optionID, 10))
}

// First is the first value for question id ("" without one).
func (s Submitted) First(id int64) string {
	if len(s[id]) == 0 {
		return ""
	}
	return s[id][0]
}

// APIValues is the API's form of a registration's answers: text as
// string, number as number, yes/no as boolean, a single choice as the
// option id, multiple choice as a list of option ids.
func APIValues(qs []Question, as []Answer) map[string]any {
	kind := make(map[int64]Kind, len(qs))
	for _, q := range qs {
		kind[q.ID] = q.Kind
	}
	out := map[string]any{}
	for _, a := range as {
		key := strconv.FormatInt(a.QuestionID, 10)
		switch k := kind[a.QuestionID]; {
		case k == Multiple:
			ids, _ := out[key].([]int64)
			out[key] = append(ids, *a.OptionID)
		case k == Single && a.OptionID != nil:
			out[key] = *a.OptionID
		case k == YesNo:
			out[key] = a.Value == Yes
		case k == Number:
			if n, err := strconv.Atoi(a.Value); err == nil {
				out[key] = n
			} else {
				out[key] = a.Value
			}
		default:
			out[key] = a.Value
		}
	}
	return out
}
