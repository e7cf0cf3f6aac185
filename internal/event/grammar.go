package event

import (
	"strings"
	"unicode"
)

// Word endings of the nouns meetings are named by, with the article "zu"
// contracts with in the dative: "zur Akademie", "zum Treffen". Longer
// endings come first where they overrule a shorter one.
var (
	feminineEndings = []string{"akademie", "konferenz", "tagung", "veranstaltung", "werkstatt", "runde", "sitzung", "woche",
		"messe", "börse", "feier", "fahrt", "reise", "tour", "gala", "party", "ung", "heit", "keit", "schaft", "ion", "tät"}
	otherEndings = []string{"treffen", "tag", "kongress", "workshop", "forum", "seminar", "symposium", "gespräch", "dialog",
		"austausch", "abend", "fest", "festival", "kolloquium", "meeting", "webinar", "gipfel", "markt", "salon", "camp", "labor"}
)

// ZuName is the meeting's name after "zu", with the article it takes:
// "zum 17. Lernnetzwerktreffen", "zur Frühjahrsakademie 2027", "zum
// Fachkongress". A name whose gender cannot be told from its head noun
// goes with "Veranstaltung": "zur Veranstaltung „Kommunale
// Präventionsketten“".
func (e Event) ZuName() string {
	name := e.Name()
	switch g := headGender(name); {
	case g == 'f':
		return "zur " + name
	case g == 'n':
		return "zum " + name
	case strings.HasPrefix(name, "„") || strings.HasPrefix(name, "\""):
		return "zur Veranstaltung " + name
	}
	return "zur Veranstaltung „" + name + "“"
}

// headGender guesses the grammatical gender of a name's head noun, its
// first capitalised word after ordinals ("17."): 'f' for feminine, 'n'
// for masculine or neuter (both "zum"), 0 when unknown.
func headGender(name string) rune {
	for _, word := range strings.Fields(name) {
		first := []rune(word)[0]
		if unicode.IsDigit(first) {
			continue
		}
		if !unicode.IsUpper(first) {
			return 0
		}
		head := strings.ToLower(strings.TrimRight(word, ".,:;!?–-"))
		for _, end := range feminineEndings {
			if strings.HasSuffix(head, end) {
				return 'f'
			}
		}
		for _, end := range otherEndings {
			if strings.HasSuffix(head, end) {
				return 'n'
			}
		}
		return 0
	}
	return 0
}
