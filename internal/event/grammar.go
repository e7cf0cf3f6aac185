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

// DesName is the meeting's name in the genitive, with its article:
// "des 17. Lernnetzwerktreffens", "der Frühjahrsakademie 2027", "des
// Fachkongresses Kinderarmut". A name whose gender cannot be told goes
// with "Veranstaltung", as in ZuName: "der Veranstaltung „…“".
func (e Event) DesName() string {
	name := e.Name()
	words := strings.Fields(name)
	switch i, g := headWord(words); {
	case g == 'f':
		return "der " + name
	case g == 'n':
		// Masculine and neuter nouns take -s, or -es after a hissing
		// sound: "Treffens", "Workshops", "Kongresses", "Austausches".
		core := strings.TrimRight(words[i], punctuation)
		rest := words[i][len(core):]
		ending := "s"
		for _, hiss := range []string{"s", "ß", "x", "z", "sch"} {
			if strings.HasSuffix(core, hiss) {
				ending = "es"
			}
		}
		words[i] = core + ending + rest
		return "des " + strings.Join(words, " ")
	case strings.HasPrefix(name, "„") || strings.HasPrefix(name, "\""):
		return "der Veranstaltung " + name
	}
	return "der Veranstaltung „" + name + "“"
}

// punctuation may follow a head noun: "Fachtag:".
const punctuation = ".,:;!?–-"

// headGender guesses the grammatical gender of a name's head noun, its
// first capitalised word after ordinals ("17."): 'f' for feminine, 'n'
// for masculine or neuter (both "zum"), 0 when unknown.
func headGender(name string) rune {
	_, g := headWord(strings.Fields(name))
	return g
}

// headWord returns the index of the head noun among a name's words and
// its gender as headGender tells it; the gender is 0 when unknown.
func headWord(words []string) (int, rune) {
	for i, word := range words {
		first := []rune(word)[0]
		if unicode.IsDigit(first) {
			continue
		}
		if !unicode.IsUpper(first) {
			return i, 0
		}
		head := strings.ToLower(strings.TrimRight(word, punctuation))
		for _, end := range feminineEndings {
			if strings.HasSuffix(head, end) {
				return i, 'f'
			}
		}
		for _, end := range otherEndings {
			if strings.HasSuffix(head, end) {
				return i, 'n'
			}
		}
		return i, 0
	}
	return 0, 0
}
