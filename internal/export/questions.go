package export

import (
	"strconv"
	"strings"

	"github.com/isa-nrw/treffen/internal/question"
)

// questionPrefix starts the key of a question's column: "question_12".
const questionPrefix = "question_"

// withQuestions appends one column per question of the meeting (those
// deleted that have answers included) to the chosen columns.
func (d *Data) withQuestions(cols []Column) []Column {
	if len(d.Answers.Questions) == 0 {
		return cols
	}
	out := append([]Column{}, cols...)
	for _, q := range d.Answers.Questions {
		out = append(out, Column{Key: questionPrefix + strconv.FormatInt(q.ID, 10), Header: question.Heading(q)})
	}
	return out
}

// answerCell is the cell of a question's column: the answer, choices
// joined with ", "; ok is false for other columns.
func (d *Data) answerCell(key string, registrationID int64) (value, bool) {
	rest, ok := strings.CutPrefix(key, questionPrefix)
	if !ok {
		return value{}, false
	}
	id, err := strconv.ParseInt(rest, 10, 64)
	if err != nil {
		return value{}, false
	}
	return value{text: d.Answers.Text(registrationID, id)}, true
}
