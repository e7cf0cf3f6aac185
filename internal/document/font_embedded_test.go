package document_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/document"
	"github.com/isa-nrw/treffen/internal/registration"
)

// TestDocumentsFont checks with pdffonts that every kind of PDF embeds
// Liberation Sans and no other font.
func TestDocumentsFont(t *testing.T) {
	ev := programmeMeeting()
	slots, groups := progGroups(false)
	gf := newGroupFixture()
	var programme, groupLists bytes.Buffer
	if err := document.Programme(&programme, ev, progAgendaItems(ev, progSample, false), slots, groups, nil, generatedAt); err != nil {
		t.Fatal(err)
	}
	if err := document.WorkingGroupLists(&groupLists, meeting(), gf.slots, gf.groups, gf.assignments, gf.regs, gf.municipalities, generatedAt); err != nil {
		t.Fatal(err)
	}
	docs := map[string]string{
		"participant list": render(t, meeting(), cologneFixture()),
		"programme":        writePDF(t, programme.Bytes()),
		"badges":           renderBadges(t, sampleBadges(), document.BadgeOptions{Layout: document.BadgesCardsA4}),
		"signature list":   renderSignatureList(t, sigMeeting(), sigRegistrations(), sigDay1),
		"certificates":     renderCertificates(t, sigMeeting(), certRegistrations(), map[int64]day.List{1: {sigDay1}}),
		"confirmation":     renderConfirmation(t, confirmationMeeting(), confirmationRegistration(registration.Confirmed), "Stadt Köln", 0),
		"working groups":   writePDF(t, groupLists.Bytes()),
	}
	for name, path := range docs {
		out := poppler(t, "pdffonts", path)
		_, table, ok := strings.Cut(out, "---\n")
		if !ok {
			t.Fatalf("%s: unexpected pdffonts output:\n%s", name, out)
		}
		fonts := strings.Split(strings.TrimSpace(table), "\n")
		for _, line := range fonts {
			// name, type (two words), encoding, emb, sub, uni, object ID
			fields := strings.Fields(line)
			if len(fields) < 8 || !strings.HasPrefix(fields[0], "utf8liberationsans") || fields[len(fields)-5] != "yes" {
				t.Errorf("%s: font not Liberation Sans, embedded: %s", name, line)
			}
		}
		if len(fonts) < 2 {
			t.Errorf("%s: %d fonts, want regular and bold at least:\n%s", name, len(fonts), out)
		}
	}
}
