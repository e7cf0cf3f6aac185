package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/isa-nrw/treffen/internal/workinggroup"
)

func TestRegistrationFormAsksForRankedWishes(t *testing.T) {
	e := newEnv(t)
	ev := e.event(50, 0, 1)
	ctx := context.Background()
	var ids []int64
	for i, title := range []string{"Kommunale Steuerung in der Präventionskette", "Zugänge erleichtern – Lotsenmodelle", "(Bildungs-)Übergänge fließend gestalten"} {
		capacity := 20 + i
		g, err := e.wgs.CreateGroup(ctx, ev, workinggroup.GroupInput{Title: &title, Capacity: &capacity,
			Day: &ev.Days[0], StartsAt: ptr("14:00"), EndsAt: ptr("15:30")})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, g.ID)
	}
	slots, _ := e.wgs.Slots(ctx, ev.ID)
	slot := slots[0].ID
	c := e.client()
	path := fmt.Sprintf("/events/%d/register", ev.ID)
	form := e.get(c, path).Body
	mustContain(t, form, "Arbeitsgruppen: Ihre Wünsche", "1. Wunsch", "3. Wunsch",
		fmt.Sprintf(`name="wish.%d.1"`, slot), "Zugänge erleichtern – Lotsenmodelle (21 Plätze, bisher 0 Erstwünsche)")

	values := url.Values{"first_name": {"Jürgen"}, "last_name": {"Weiß"}, "email": {"j.weiss@ahlen.example"},
		"municipality_id": {fmt.Sprint(e.ahlen.ID)}, "privacy_consent": {"1"},
		fmt.Sprintf("wish.%d.1", slot): {fmt.Sprint(ids[1])}, fmt.Sprintf("wish.%d.2", slot): {fmt.Sprint(ids[1])}}
	bad := e.postForm(c, path, values)
	if bad.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("same group twice: %d", bad.StatusCode)
	}
	mustContain(t, bad.Body, "Jede Arbeitsgruppe kann nur einmal gewählt werden.", fmt.Sprintf(`<option value="%d" selected>Zugänge`, ids[1]))

	values.Set(fmt.Sprintf("wish.%d.2", slot), fmt.Sprint(ids[2]))
	ok := e.postForm(c, path, values)
	if ok.StatusCode != http.StatusSeeOther {
		t.Fatalf("register with wishes: %d", ok.StatusCode)
	}
	prefs, err := e.wgs.Preferences(ctx, ev.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []int64
	for _, p := range prefs {
		got = p
	}
	if fmt.Sprint(got) != fmt.Sprint([]int64{ids[1], ids[2]}) {
		t.Fatalf("stored wishes %v, want %v", got, ids[1:])
	}
	// The manage page shows the wishes and takes a change.
	link := ok.Header.Get("Location")
	link = strings.TrimSuffix(link, "?neu=1")
	mustContain(t, e.get(c, link).Body, fmt.Sprintf(`<option value="%d" selected>Zugänge`, ids[1]))
	change := url.Values{"first_name": {"Jürgen"}, "last_name": {"Weiß"}, fmt.Sprintf("wish.%d.1", slot): {fmt.Sprint(ids[0])}, fmt.Sprintf("wish.%d.2", slot): {""}}
	if r := e.postForm(c, link, change); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("change wishes: %d %s", r.StatusCode, r.Body)
	}
	prefs, _ = e.wgs.Preferences(ctx, ev.ID)
	for _, p := range prefs {
		got = p
	}
	if fmt.Sprint(got) != fmt.Sprint([]int64{ids[0]}) {
		t.Fatalf("changed wishes %v, want [%d]", got, ids[0])
	}
	// A meeting without working groups asks for nothing.
	plain := e.event(10, 0, 1)
	if strings.Contains(e.get(c, fmt.Sprintf("/events/%d/register", plain.ID)).Body, "Ihre Wünsche") {
		t.Error("wish fields on a meeting without working groups")
	}
}

func TestWorkingGroupListPDFForOrganisersAndHosts(t *testing.T) {
	e := newEnv(t)
	ev := e.event(20, 0, 1)
	ctx := context.Background()
	if _, err := e.wgs.CreateGroup(ctx, ev, workinggroup.GroupInput{Title: ptr("Kommunale Steuerung"), Capacity: ptr(10),
		Day: &ev.Days[0], StartsAt: ptr("14:00"), EndsAt: ptr("15:30")}); err != nil {
		t.Fatal(err)
	}
	c := e.loggedIn()
	r := e.get(c, fmt.Sprintf("/admin/events/%d/working-groups.pdf", ev.ID))
	if r.StatusCode != http.StatusOK || !strings.HasPrefix(r.Body, "%PDF-") || r.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("working-group PDF: %d %q", r.StatusCode, r.Header.Get("Content-Type"))
	}
}
