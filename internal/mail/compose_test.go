package mail_test

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/isa-nrw/treffen/internal/mail"
	"github.com/isa-nrw/treffen/templates"
)

func TestNewComposerRefusesMissingTemplates(t *testing.T) {
	t.Parallel()
	full := fstest.MapFS{}
	err := fs.WalkDir(templates.FS, "mail", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(templates.FS, path)
		full[path] = &fstest.MapFile{Data: b}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mail.NewComposer(full, testBaseURL, testFrom, "ISA"); err != nil {
		t.Fatalf("complete templates: %v", err)
	}
	for _, name := range []string{"mail/promotion.html.tmpl", "mail/layout.txt.tmpl", "mail/cancellation.txt.tmpl",
		"mail/manage_link.txt.tmpl", "mail/assignment.html.tmpl", "mail/assignment.txt.tmpl", "mail/invitation.html.tmpl", "mail/password_reset.txt.tmpl"} {
		t.Run(name, func(t *testing.T) {
			partial := fstest.MapFS{}
			for k, v := range full {
				if k != name {
					partial[k] = v
				}
			}
			if _, err := mail.NewComposer(partial, testBaseURL, testFrom, "ISA"); err == nil {
				t.Errorf("no error without %s", name)
			}
		})
	}
	t.Run("block missing", func(t *testing.T) {
		broken := fstest.MapFS{}
		for k, v := range full {
			broken[k] = v
		}
		broken["mail/waitlisted.txt.tmpl"] = &fstest.MapFile{Data: []byte(`{{define "body"}}x{{end}}{{define "closing"}}{{end}}{{define "manage"}}{{end}}`)}
		_, err := mail.NewComposer(broken, testBaseURL, testFrom, "ISA")
		if err == nil || !strings.Contains(err.Error(), `"subject"`) {
			t.Errorf("waitlisted without subject: %v", err)
		}
	})
}

func TestNewComposerChecksSettings(t *testing.T) {
	t.Parallel()
	for _, c := range []struct{ base, from string }{
		{"", testFrom},
		{"treffen.example.org", testFrom},
		{"ftp://treffen.example.org", testFrom},
		{testBaseURL, "keine adresse"},
	} {
		if _, err := mail.NewComposer(templates.FS, c.base, c.from, "ISA"); err == nil {
			t.Errorf("NewComposer(%q, %q) succeeded", c.base, c.from)
		}
	}
	c, err := mail.NewComposer(templates.FS, "https://isa.example.org/treffen/", "Servicestelle Prävention <info@isa.example.org>", "ISA")
	if err != nil {
		t.Fatal(err)
	}
	if got := c.MessageID(7); got != "<outbox-7.treffen@isa.example.org>" {
		t.Errorf("message id %q", got)
	}
	if from := c.From(); from.Name != "Servicestelle Prävention" || from.Address != "info@isa.example.org" {
		t.Errorf("from %+v", from)
	}
}
