package registration_test

import (
	"context"
	"errors"
	"testing"

	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/registration"
)

func TestRequestCertificateQueuesOneMail(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ev := f.mustEvent(t, 10, 0)
	ahlen := f.mustMunicipality(t, "Stadt Ahlen")
	r, err := f.regs.Register(ctx, ev.ID, person(1, &ahlen.ID), registration.Options{})
	if err != nil {
		t.Fatal(err)
	}
	before := f.queued
	if err := f.regs.RequestCertificate(ctx, r.ID); err != nil {
		t.Fatalf("request certificate: %v", err)
	}
	if f.queued != before+1 {
		t.Errorf("the mail worker was not woken")
	}
	list, err := outbox.NewStore(f.db.Gorm).List(ctx, outbox.Filter{RegistrationID: r.ID})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, m := range list {
		if m.Kind == outbox.Certificate {
			n++
			if m.Recipient != r.Email || m.Status != outbox.Pending || m.EventID == nil || *m.EventID != ev.ID {
				t.Errorf("certificate mail %+v", m)
			}
		}
	}
	if n != 1 {
		t.Errorf("%d certificate mails queued, want 1", n)
	}
	if err := f.regs.RequestCertificate(ctx, r.ID+1000); !errors.Is(err, registration.ErrNotFound) {
		t.Errorf("unknown registration: %v", err)
	}
}
