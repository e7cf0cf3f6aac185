package mail

import (
	"bytes"
	"fmt"
	"time"

	"github.com/isa-nrw/treffen/internal/day"
	"github.com/isa-nrw/treffen/internal/document"
	"github.com/isa-nrw/treffen/internal/event"
	"github.com/isa-nrw/treffen/internal/municipality"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/registration"
)

// CertificateFile is the name of the PDF a certificate mail carries.
const CertificateFile = "teilnahmebescheinigung.pdf"

// ComposeCertificate renders an outbox.Certificate mail: a short note
// with the person's certificate of attendance for ev attached as a PDF,
// confirming the days attended (at least one) and issued on the date of
// generatedAt; schedule is as for Compose. muni is the registration's municipality (nil for
// guests). The certificate is a personal document: nobody gets a copy.
func (c *Composer) ComposeCertificate(msg outbox.Message, ev event.Event, schedule event.Schedule, reg registration.Registration, muni *municipality.Municipality, attended day.List, generatedAt time.Time) (*Envelope, error) {
	if msg.Kind != outbox.Certificate || msg.CopyOf != nil {
		return nil, fmt.Errorf("compose mail %d: %q is not a certificate mail", msg.ID, msg.Kind)
	}
	attended = attended.Normalize()
	if len(attended) == 0 {
		return nil, fmt.Errorf("compose mail %d: a certificate without a day attended", msg.ID)
	}
	env, err := c.compose(msg, ev, schedule, reg, muni, 0, nil, nil, attended, nil)
	if err != nil {
		return nil, err
	}
	munis := map[int64]municipality.Municipality{}
	if muni != nil {
		munis[muni.ID] = *muni
	}
	var pdf bytes.Buffer
	if err := document.Certificates(&pdf, &ev, schedule, []registration.Registration{reg}, munis,
		map[int64]day.List{reg.ID: attended}, c.organiser, generatedAt); err != nil {
		return nil, fmt.Errorf("compose certificate mail %d: %w", msg.ID, err)
	}
	env.Attachments = append(env.Attachments, Attachment{
		Filename:    CertificateFile,
		ContentType: "application/pdf",
		Data:        pdf.Bytes(),
	})
	return env, nil
}
