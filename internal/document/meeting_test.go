package document_test

import (
	"bytes"
	"regexp"
	"testing"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/document"
	"github.com/isa-nrw/treffen/internal/registration"
)

// hamm is the city as a word of its own: "Hammer Straße" does not name it.
var hamm = regexp.MustCompile(`\bHamm\b`)

// TestVenueCityOnce checks the address blocks follow event.VenueLines:
// the city is printed once, left out only when the address names it as a
// word of its own – "Hammer Straße 10" does not name Hamm.
func TestVenueCityOnce(t *testing.T) {
	ev := confirmationMeeting()
	ev.VenueName, ev.VenueAddress, ev.VenueCity = "Kurhaus Bad Hamm", "Ostenallee 87\nEingang Hammer Straße", "Hamm"

	reg := confirmationRegistration(registration.Confirmed)
	text := flat(pdfText(t, renderConfirmation(t, ev, reg, "Stadt Ahlen", 0)))
	inOrder(t, text, "Ort Kurhaus Bad Hamm Ostenallee 87 Eingang Hammer Straße Hamm Veranstalter")

	regs := []registration.Registration{*reg}
	regs[0].MunicipalityID = nil
	cert := flat(pdfText(t, renderCertificates(t, ev, regs, map[int64]day.List{reg.ID: ev.Days})))
	inOrder(t, cert, "Veranstaltungsort Kurhaus Bad Hamm Ostenallee 87 Eingang Hammer Straße Hamm Veranstalter")

	// The programme's first page shows the city only in the venue block:
	// once after the venue's name.
	var buf bytes.Buffer
	if err := document.Programme(&buf, ev, nil, nil, nil, generatedAt); err != nil {
		t.Fatal(err)
	}
	prog := pdfText(t, writePDF(t, buf.Bytes()))
	if n := len(hamm.FindAllString(prog, -1)); n != 2 { // "Kurhaus Bad Hamm" and the city
		t.Errorf("programme names Hamm %d times, want twice (the venue's name and the city):\n%s", n, prog)
	}

	// An address that names the city keeps it there only.
	ev.VenueName, ev.VenueAddress = "Kurhaus", "Ostenallee 87\n59071 Hamm"
	text = flat(pdfText(t, renderConfirmation(t, ev, reg, "Stadt Ahlen", 0)))
	inOrder(t, text, "Ort Kurhaus Ostenallee 87 59071 Hamm Veranstalter")
	if n := len(hamm.FindAllString(text, -1)); n != 1 {
		t.Errorf("confirmation names Hamm %d times, want once:\n%s", n, text)
	}
}
