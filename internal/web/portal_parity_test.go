package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/registration"
	"github.com/isa-nrw/treffen/internal/workinggroup"
)

// TestPortalRegistersColleaguesWithDaysAndWishes registers two colleagues
// through the portal with days, wishes and needs, runs the assignment
// and finds the wishes granted in the assignment and in the exports.
func TestPortalRegistersColleaguesWithDaysAndWishes(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ev := e.event(20, 0, 2)
	if _, err := e.events.Update(ctx, ev.ID, event.Input{PreferenceRanks: ptr(2)}); err != nil {
		t.Fatal(err)
	}
	var groups []workinggroup.Group
	for _, title := range []string{"Kommunale Steuerung", "Frühe Hilfen", "Kinderarmut"} {
		g, err := e.wgs.CreateGroup(ctx, ev, workinggroup.GroupInput{Day: &ev.Days[0], StartsAt: ptr("14:00"), EndsAt: ptr("15:30"),
			Title: ptr(title), Capacity: ptr(1)})
		if err != nil {
			t.Fatal(err)
		}
		groups = append(groups, g)
	}
	slot := groups[0].SlotID
	coord := e.coordinator("koordination@ahlen.example", e.ahlen.ID)
	page := fmt.Sprintf("/portal/events/%d", ev.ID)
	form := e.get(coord, page).Body
	mustContain(t, form, "Arbeitsgruppen-Wünsche", fmt.Sprintf(`name="wish.%d.1.0"`, slot), fmt.Sprintf(`name="wish.%d.2.1"`, slot),
		`name="dietary_needs.0"`, `name="accessibility_needs.1"`, `name="days.1"`, "Frühe Hilfen")

	wish := func(rank, row int) string { return fmt.Sprintf("wish.%d.%d.%d", slot, rank, row) }
	post := url.Values{"consent": {"1"},
		"first_name.0": {"Erika"}, "last_name.0": {"Müller"}, "email.0": {"erika@ahlen.example"},
		"days.0": {ev.Days[0].String()}, "dietary_needs.0": {"vegan"},
		wish(1, 0): {fmt.Sprint(groups[1].ID)}, wish(2, 0): {fmt.Sprint(groups[0].ID)},
		"first_name.1": {"Jürgen"}, "last_name.1": {"Özdemir"}, "email.1": {"juergen@ahlen.example"},
		"days.1": {ev.Days[0].String(), ev.Days[1].String()}, "accessibility_needs.1": {"Rollstuhl"},
		wish(1, 1):    {fmt.Sprint(groups[2].ID)},
		"last_name.2": {""},
	}
	if r := e.postForm(coord, page+"/registrations", post); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("portal registration: %d\n%s", r.StatusCode, r.Body)
	}
	prefs, err := e.wgs.Preferences(ctx, ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	regs := map[string]int64{}
	list, _ := e.regs.List(ctx, ev.ID, registrationFilterAll())
	for _, r := range list {
		regs[r.FirstName] = r.ID
		switch r.FirstName {
		case "Erika":
			if len(r.Days) != 1 || r.DietaryNeeds != "vegan" {
				t.Errorf("Erika: days %v, dietary %q", r.Days, r.DietaryNeeds)
			}
		case "Jürgen":
			if len(r.Days) != 2 || r.AccessibilityNeeds != "Rollstuhl" {
				t.Errorf("Jürgen: days %v, accessibility %q", r.Days, r.AccessibilityNeeds)
			}
		}
	}
	if got := fmt.Sprint(prefs[regs["Erika"]]); got != fmt.Sprint([]int64{groups[1].ID, groups[0].ID}) {
		t.Errorf("Erika's wishes %s", got)
	}
	if got := fmt.Sprint(prefs[regs["Jürgen"]]); got != fmt.Sprint([]int64{groups[2].ID}) {
		t.Errorf("Jürgen's wishes %s", got)
	}

	// The coordinator changes Erika's wishes later on her page.
	edit := fmt.Sprintf("%s/registrations/%d", page, regs["Erika"])
	mustContain(t, e.get(coord, edit).Body, fmt.Sprintf(`<option value="%d" selected>Frühe Hilfen`, groups[1].ID), `value="vegan"`)
	if r := e.postForm(coord, edit, url.Values{"first_name": {"Erika"}, "last_name": {"Müller"}, "days_shown": {"1"},
		"days": {ev.Days[0].String()}, "dietary_needs": {"vegan, keine Nüsse"},
		fmt.Sprintf("wish.%d.1", slot): {fmt.Sprint(groups[1].ID)}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("change: %d\n%s", r.StatusCode, r.Body)
	}
	prefs, _ = e.wgs.Preferences(ctx, ev.ID)
	if got := fmt.Sprint(prefs[regs["Erika"]]); got != fmt.Sprint([]int64{groups[1].ID}) {
		t.Errorf("Erika's changed wishes %s", got)
	}

	// The assignment grants both their first wishes.
	token := e.token()
	r := e.api(http.MethodPost, fmt.Sprintf("/api/v1/events/%d/assignment", ev.ID), token, map[string]any{"dry_run": true})
	plan := decodeAssignment(t, r)
	r = e.api(http.MethodPost, fmt.Sprintf("/api/v1/events/%d/assignment", ev.ID), token, map[string]any{"fingerprint": plan.Fingerprint})
	saved := decodeAssignment(t, r)
	if g, _ := saved.groupOf(regs["Erika"]); g != groups[1].ID {
		t.Errorf("Erika assigned to %d, want her wish %d", g, groups[1].ID)
	}
	if g, _ := saved.groupOf(regs["Jürgen"]); g != groups[2].ID {
		t.Errorf("Jürgen assigned to %d, want his wish %d", g, groups[2].ID)
	}

	// … and the exports show it, with the needs given in the portal.
	c := e.loggedIn()
	csv := e.get(c, fmt.Sprintf("/admin/events/%d/registrations.csv?columns=last_name,days,working_groups,dietary_needs,accessibility_needs", ev.ID))
	if csv.StatusCode != http.StatusOK {
		t.Fatalf("csv: %d", csv.StatusCode)
	}
	var erikaLine, juergenLine string
	for _, line := range strings.Split(csv.Body, "\n") {
		switch {
		case strings.HasPrefix(line, "Müller"):
			erikaLine = line
		case strings.HasPrefix(line, "Özdemir"):
			juergenLine = line
		}
	}
	if !strings.Contains(erikaLine, "Frühe Hilfen") || !strings.Contains(erikaLine, "vegan, keine Nüsse") {
		t.Errorf("Erika in the CSV: %q", erikaLine)
	}
	if !strings.Contains(juergenLine, "Kinderarmut") || !strings.Contains(juergenLine, "Rollstuhl") {
		t.Errorf("Jürgen in the CSV: %q", juergenLine)
	}
	xlsx := e.get(c, fmt.Sprintf("/admin/events/%d/registrations.xlsx?columns=last_name,working_groups", ev.ID))
	if xlsx.StatusCode != http.StatusOK {
		t.Fatalf("xlsx: %d", xlsx.StatusCode)
	}
	cells := xlsxText(t, []byte(xlsx.Body))
	for _, want := range []string{"Müller", "Frühe Hilfen", "Özdemir", "Kinderarmut"} {
		if !strings.Contains(cells, want) {
			t.Errorf("XLSX lacks %q", want)
		}
	}
}

// TestPortalBatchErrorNamesTheRow: a mistake in the third row names its
// number and name, registers nobody and keeps every row as typed.
func TestPortalBatchErrorNamesTheRow(t *testing.T) {
	e := newEnv(t)
	ev := e.event(20, 0, 1)
	e.person(ev.ID, "Vera", "Vorher", "vera@ahlen.example", &e.ahlen.ID)
	coord := e.coordinator("koordination@ahlen.example", e.ahlen.ID)
	page := fmt.Sprintf("/portal/events/%d", ev.ID)
	post := url.Values{"consent": {"1"},
		"first_name.0": {"Anna"}, "last_name.0": {"Albers"}, "email.0": {"anna@ahlen.example"},
		"first_name.1": {"Bernd"}, "last_name.1": {"Brüning"}, "email.1": {"vera@ahlen.example"},
		"first_name.2": {"Erika"}, "last_name.2": {"Müller"}, "email.2": {"erika@"}, "dietary_needs.2": {"vegetarisch"},
		"first_name.3": {"Doppelt"}, "last_name.3": {"Dabei"}, "email.3": {"ANNA@ahlen.example"},
	}
	r := e.postForm(coord, page+"/registrations", post)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("batch with mistakes: %d", r.StatusCode)
	}
	mustContain(t, r.Body, "3 von 4 Zeilen enthalten Fehler; es wurde noch niemand angemeldet",
		"Zeile 3 (Erika Müller): Bitte geben Sie eine gültige E-Mail-Adresse an", `href="#f-email-2"`,
		"Zeile 2 (Bernd Brüning): Mit dieser E-Mail-Adresse ist bereits jemand angemeldet.",
		"Zeile 4 (Doppelt Dabei): Diese Adresse steht schon in Zeile 1.",
		`value="Anna"`, `value="erika@"`, `value="vegetarisch"`, "<legend>Zeile 3</legend>")
	list, _ := e.regs.List(context.Background(), ev.ID, registrationFilterAll())
	if len(list) != 1 {
		t.Errorf("%d registrations after a batch with mistakes, want only the one before", len(list))
	}
}

func registrationFilterAll() registration.Filter { return registration.Filter{} }

// xlsxText is every cell of the workbook's first sheet, one line per row.
func xlsxText(t *testing.T, data []byte) string {
	t.Helper()
	book, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := book.GetRows(book.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, row := range rows {
		b.WriteString(strings.Join(row, "\t") + "\n")
	}
	return b.String()
}
