package report

import "strings"

// Category is a kind of office participants come from, read from the
// free text of their function.
type Category string

// Categories in the order the report shows them.
const (
	Jugendamt    Category = "Jugendamt"
	Schule       Category = "Schule/Bildung"
	Gesundheit   Category = "Gesundheit"
	Soziales     Category = "Soziales"
	Koordination Category = "Koordination/Planung"
	Kita         Category = "Kita"
	Sonstige     Category = "Sonstige"
)

// Categories lists all categories in display order.
var Categories = []Category{Jugendamt, Schule, Gesundheit, Soziales, Koordination, Kita, Sonstige}

// keywords decide the category, tried in this order: the first match
// wins. Kita before Jugendamt ("Kita-Fachberatung im Jugendamt" is about
// day care), Jugendamt before planning ("Jugendamt, Jugendhilfeplanung"),
// planning before social ("Sozialplanung" is planning).
var keywords = []struct {
	category Category
	words    []string
}{
	{Kita, []string{"kita", "kindertages", "tagesbetreuung", "kindergarten", "familienzentrum"}},
	{Jugendamt, []string{"jugendamt", "jugendhilfe", "jugendförderung", "jugendarbeit", "frühe hilfen", "hilfen zur erziehung", "sozialer dienst"}},
	{Schule, []string{"schul", "bildung", "lehrer", "übergang", "kommunales integrationszentrum"}},
	{Gesundheit, []string{"gesundheit", "ärzt", "arzt", "hebamme", "kinder- und jugendgesundheit", "psychiatr"}},
	{Koordination, []string{"koordination", "koordinator", "planung", "steuerung", "stabsstelle", "präventionskette", "monitoring", "sozialberichterstattung"}},
	{Soziales, []string{"sozial", "jobcenter", "arbeit", "integration", "wohn", "armut", "teilhabe"}},
}

// Categorize maps a function ("Jugendamt, Jugendhilfeplanung") to its
// category; unknown or empty text is Sonstige.
func Categorize(function string) Category {
	f := strings.ToLower(function)
	for _, k := range keywords {
		for _, w := range k.words {
			if strings.Contains(f, w) {
				return k.category
			}
		}
	}
	return Sonstige
}
