package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/isa-nrw/treffen/internal/outbox"
)

func TestCertificateByMailOnRequest(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	ev := e.meetingToday(3)
	jw := e.person(ev.ID, "Jürgen", "Weiß", "j.weiss@ahlen.example", &e.ahlen.ID)
	certificates := func() []outbox.Message {
		t.Helper()
		list, err := e.outbox.List(ctx, outbox.Filter{RegistrationID: jw.ID})
		if err != nil {
			t.Fatal(err)
		}
		var out []outbox.Message
		for _, m := range list {
			if m.Kind == outbox.Certificate {
				out = append(out, m)
			}
		}
		return out
	}
	c := e.client()
	path := "/manage/" + jw.ManageToken + "/certificate"

	// Not checked in: no button, and the request is refused.
	if r := e.get(c, "/manage/"+jw.ManageToken); strings.Contains(r.Body, `action="`+path+`"`) {
		t.Errorf("manage page offers the certificate by mail without check-in")
	}
	if r := e.postForm(c, path, url.Values{}); r.StatusCode != http.StatusConflict || !strings.Contains(r.Body, "eingecheckt") {
		t.Errorf("certificate by mail without check-in: %d %.200s", r.StatusCode, r.Body)
	}
	if n := len(certificates()); n != 0 {
		t.Fatalf("%d certificate mails queued without check-in", n)
	}

	// Checked in: the button, then one mail queued and a note.
	if _, err := e.checkins.Record(ctx, ev, jw, ev.Days[0], nil); err != nil {
		t.Fatal(err)
	}
	if r := e.get(c, "/manage/"+jw.ManageToken); !strings.Contains(r.Body, `action="`+path+`"`) || !strings.Contains(r.Body, "Per E-Mail zusenden") {
		t.Errorf("manage page of a checked-in person lacks the button to mail the certificate")
	}
	r := e.postForm(c, path, url.Values{})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/manage/"+jw.ManageToken {
		t.Fatalf("certificate by mail: %d, Location %q", r.StatusCode, r.Header.Get("Location"))
	}
	list := certificates()
	if len(list) != 1 || list[0].Recipient != jw.Email || list[0].Status != outbox.Pending || *list[0].EventID != ev.ID {
		t.Fatalf("certificate mails queued: %+v", list)
	}
	if page := e.get(c, "/manage/"+jw.ManageToken); !strings.Contains(page.Body, "Die Teilnahmebescheinigung ist unterwegs an "+jw.Email+".") {
		t.Errorf("manage page after the request lacks the note")
	}

	// Rate-limited per address.
	limited := false
	for range 5 {
		if r := e.postForm(c, path, url.Values{}); r.StatusCode == http.StatusTooManyRequests {
			limited = true
			break
		}
	}
	if !limited {
		t.Errorf("certificate requests for one address are not limited")
	}
}
