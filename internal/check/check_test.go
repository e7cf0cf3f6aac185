package check_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"log"
	"log/slog"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"github.com/isa-nrw/treffen/internal/check"
	"github.com/isa-nrw/treffen/internal/config"
	"github.com/isa-nrw/treffen/internal/store"
	"github.com/isa-nrw/treffen/internal/store/storetest"
)

const (
	user = "treffen"
	pass = "geh:eim@1"
	from = "anmeldung@isa.example.org"
)

// session accepts PLAIN with user/pass and nothing else; the checks
// never send a mail.
type session struct{}

func (session) AuthMechanisms() []string { return []string{sasl.Plain} }
func (session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, u, p string) error {
		if u != user || p != pass {
			return errors.New("invalid credentials")
		}
		return nil
	}), nil
}
func (session) Mail(string, *smtp.MailOptions) error { return errors.New("no mail expected") }
func (session) Rcpt(string, *smtp.RcptOptions) error { return errors.New("no mail expected") }
func (session) Data(io.Reader) error                 { return errors.New("no mail expected") }
func (session) Reset()                               {}
func (session) Logout() error                        { return nil }

type server struct {
	tlsConfig   *tls.Config // STARTTLS offered when set
	implicitTLS bool        // smtps
	plainAuth   bool        // AUTH offered without TLS
}

func selfSigned(t *testing.T) *tls.Config {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
}

func (s server) start(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return session{}, nil }))
	srv.Domain = "mail.test"
	srv.ErrorLog = log.New(io.Discard, "", 0)
	srv.AllowInsecureAuth = s.plainAuth
	srv.ReadTimeout = 5 * time.Second
	srv.WriteTimeout = 5 * time.Second
	if s.implicitTLS {
		l = tls.NewListener(l, s.tlsConfig)
	} else {
		srv.TLSConfig = s.tlsConfig
	}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return l.Addr().String()
}

func runSMTP(t *testing.T, url string) check.Result {
	t.Helper()
	return check.SMTP(url, from, 3*time.Second).Run(context.Background())
}

func TestSMTPWithoutAuth(t *testing.T) {
	t.Parallel()
	addr := server{plainAuth: true}.start(t)
	r := runSMTP(t, "smtp://"+addr)
	if r.Status != check.OK || !strings.Contains(r.Message, "erreichbar") {
		t.Fatalf("%v %s %v", r.Status, r.Message, r.Details)
	}
	if len(r.Details) != 0 {
		t.Errorf("details on success: %v", r.Details)
	}
}

func TestSMTPWithSTARTTLSAndRequiredAuth(t *testing.T) {
	t.Parallel()
	addr := server{tlsConfig: selfSigned(t)}.start(t)
	r := runSMTP(t, "smtp://"+user+":"+strings.ReplaceAll(strings.ReplaceAll(pass, ":", "%3A"), "@", "%40")+"@"+addr+"?insecure=1&starttls=required")
	if r.Status != check.OK || !strings.Contains(r.Message, "STARTTLS") || !strings.Contains(r.Message, "AUTH PLAIN") {
		t.Fatalf("%v %s %v", r.Status, r.Message, r.Details)
	}
	if strings.Contains(r.Message+strings.Join(r.Details, " "), "geh:eim") {
		t.Errorf("password shown: %s %v", r.Message, r.Details)
	}

	r = runSMTP(t, "smtp://"+user+":falsch@"+addr+"?insecure=1")
	if r.Status != check.Fail || !strings.Contains(r.Message, "AUTH PLAIN") || !strings.Contains(r.Message, "invalid credentials") {
		t.Errorf("wrong password: %v %s", r.Status, r.Message)
	}
	if strings.Contains(r.Message, "falsch") {
		t.Errorf("password shown: %s", r.Message)
	}
	// The server offers AUTH only after STARTTLS.
	r = runSMTP(t, "smtp://"+user+":x@"+addr+"?starttls=never")
	if r.Status != check.Fail || !strings.Contains(r.Message, "kein AUTH") {
		t.Errorf("credentials without AUTH offered: %v %s", r.Status, r.Message)
	}
	// Certificate verification is on unless insecure=1.
	r = runSMTP(t, "smtp://"+addr)
	if r.Status != check.Fail || !strings.Contains(r.Message, "STARTTLS") || !strings.Contains(r.Message, "certificate") {
		t.Errorf("self-signed certificate accepted: %v %s", r.Status, r.Message)
	}
}

func TestSMTPRequiredSTARTTLSMissing(t *testing.T) {
	t.Parallel()
	addr := server{plainAuth: true}.start(t)
	r := runSMTP(t, "smtp://"+addr+"?starttls=required")
	if r.Status != check.Fail || !strings.Contains(r.Message, "kein STARTTLS") {
		t.Errorf("%v %s", r.Status, r.Message)
	}
	// The steps that worked tell how far it got.
	if steps := strings.Join(r.Details, "\n"); !strings.Contains(steps, "Begrüßung: mail.test") || !strings.Contains(steps, "EHLO localhost") {
		t.Errorf("steps: %q", r.Details)
	}
}

func TestSMTPSImplicitTLS(t *testing.T) {
	t.Parallel()
	addr := server{tlsConfig: selfSigned(t), implicitTLS: true}.start(t)
	r := runSMTP(t, "smtps://"+user+":"+"geh%3Aeim%401@"+addr+"?insecure=1")
	if r.Status != check.OK || !strings.Contains(r.Message, "smtps") || !strings.Contains(r.Message, "AUTH PLAIN") {
		t.Errorf("%v %s %v", r.Status, r.Message, r.Details)
	}
}

func TestSMTPClosedPortFailsQuickly(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	start := time.Now()
	r := runSMTP(t, "smtp://"+addr)
	if r.Status != check.Fail || !strings.Contains(r.Message, "Verbindung") || !strings.Contains(r.Message, "refused") {
		t.Errorf("%v %s", r.Status, r.Message)
	}
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("closed port took %s", d)
	}
}

// A server that accepts the connection and never greets (plain SMTP to
// a TLS port, a tarpit) cannot hold the check beyond its timeout.
func TestSMTPSilentServerIsBounded(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	start := time.Now()
	r := check.SMTP("smtp://"+l.Addr().String(), from, 500*time.Millisecond).Run(context.Background())
	d := time.Since(start)
	if r.Status != check.Fail || !strings.Contains(r.Message, "Begrüßung") || !strings.Contains(r.Message, "keine Antwort innerhalb von 500ms") {
		t.Errorf("%v %s", r.Status, r.Message)
	}
	if d > 2*time.Second {
		t.Errorf("silent server held the check for %s", d)
	}
}

func TestSMTPNotConfiguredOrBroken(t *testing.T) {
	t.Parallel()
	if r := runSMTP(t, ""); r.Status != check.Warn {
		t.Errorf("no SMTP URL: %v %s", r.Status, r.Message)
	}
	if r := runSMTP(t, "http://mail.example.org"); r.Status != check.Fail {
		t.Errorf("bad URL: %v %s", r.Status, r.Message)
	}
}

func TestConfigurationReportsEveryProblem(t *testing.T) {
	t.Parallel()
	vars := map[string]string{"TREFFEN_LOG_FORMAT": "xml", "TREFFEN_SESSION_TTL": "lange", "TREFFEN_RATE_LIMIT_LOGIN": "-1", "TREFFEN_ADMIN_EMAIL": "a@b.example"}
	cfg, err := config.Load("", func(k string) string { return vars[k] })
	r := check.Configuration(err).Run(context.Background())
	if r.Status != check.Fail || len(r.Details) != 4 {
		t.Fatalf("%v %s %q", r.Status, r.Message, r.Details)
	}
	for _, want := range []string{"log_format", "TREFFEN_SESSION_TTL", "rate limits", "TREFFEN_ADMIN_PASSWORD"} {
		if !strings.Contains(strings.Join(r.Details, "\n"), want) {
			t.Errorf("%s not reported: %q", want, r.Details)
		}
	}
	if cfg.Addr == "" {
		t.Error("the readable part of the configuration is lost")
	}
	if r := check.Configuration(nil).Run(context.Background()); r.Status != check.OK {
		t.Errorf("good configuration: %v", r.Status)
	}
}

func TestBaseURL(t *testing.T) {
	t.Parallel()
	for url, want := range map[string]check.Status{
		"https://treffen.isa.example": check.OK,
		"http://treffen.isa.example":  check.Warn,
		"http://127.0.0.1:8080":       check.Warn,
		"http://localhost:8080":       check.Warn,
		"ftp://treffen.isa.example":   check.Fail,
	} {
		r := check.BaseURL(config.Config{BaseURL: url, SecureCookies: strings.HasPrefix(url, "https")}).Run(context.Background())
		if r.Status != want {
			t.Errorf("%s: %v (%s), want %v", url, r.Status, r.Message, want)
		}
	}
	r := check.BaseURL(config.Config{BaseURL: "https://treffen.isa.example"}).Run(context.Background())
	if r.Status != check.Warn || !strings.Contains(r.Message, "secure_cookies") {
		t.Errorf("https without secure cookies: %v %s", r.Status, r.Message)
	}
}

func TestDataDirectory(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if r := check.DataDir("sqlite:" + filepath.Join(dir, "treffen.db")).Run(context.Background()); r.Status != check.OK {
		t.Errorf("writable dir: %v %s", r.Status, r.Message)
	}
	if r := check.DataDir("sqlite:" + filepath.Join(dir, "neu", "treffen.db")).Run(context.Background()); r.Status != check.Warn {
		t.Errorf("missing but creatable dir: %v %s", r.Status, r.Message)
	}
	if _, err := os.Stat(filepath.Join(dir, "neu")); err == nil {
		t.Error("the check created the directory")
	}
	file := filepath.Join(dir, "datei")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if r := check.DataDir("sqlite:" + filepath.Join(file, "treffen.db")).Run(context.Background()); r.Status != check.Fail || !strings.Contains(r.Message, "kein Verzeichnis") {
		t.Errorf("a file as directory: %v %s", r.Status, r.Message)
	}
	if r := check.DataDir("sqlite:" + filepath.Join(file, "x", "treffen.db")).Run(context.Background()); r.Status != check.Fail {
		t.Errorf("uncreatable dir: %v %s", r.Status, r.Message)
	}
	if r := check.DataDir("postgres://db/treffen").Run(context.Background()); r.Status != check.OK {
		t.Errorf("postgres: %v %s", r.Status, r.Message)
	}
}

func TestDatabase(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "treffen.db")
	r := check.Database("sqlite:"+path, 5*time.Second).Run(ctx)
	if r.Status != check.Warn || !strings.Contains(r.Message, "noch nicht") {
		t.Errorf("missing file: %v %s", r.Status, r.Message)
	}
	if _, err := os.Stat(path); err == nil {
		t.Error("the check created the database")
	}
	db, err := store.Open(ctx, "sqlite:"+path)
	if err != nil {
		t.Fatal(err)
	}
	r = check.Database("sqlite:"+path, 5*time.Second).Run(ctx)
	if r.Status != check.Warn || !strings.Contains(r.Message, "ausstehend") {
		t.Errorf("unmigrated: %v %s", r.Status, r.Message)
	}
	if _, err := db.Migrate(ctx, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	r = check.Database("sqlite:"+path, 5*time.Second).Run(ctx)
	if r.Status != check.OK || !strings.Contains(r.Message, "aktuell") {
		t.Errorf("migrated: %v %s", r.Status, r.Message)
	}
	// A database from a newer program version.
	if err := db.Gorm.Exec("INSERT INTO goose_db_version (version_id, is_applied) VALUES (9999, true)").Error; err != nil {
		t.Fatal(err)
	}
	_ = db.Close()
	r = check.Database("sqlite:"+path, 5*time.Second).Run(ctx)
	if r.Status != check.Fail || !strings.Contains(r.Message, "9999") {
		t.Errorf("newer schema: %v %s", r.Status, r.Message)
	}

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := l.Addr().String()
	_ = l.Close()
	start := time.Now()
	r = check.Database("postgres://treffen@"+closed+"/treffen?sslmode=disable&connect_timeout=2", 3*time.Second).Run(ctx)
	if r.Status != check.Fail || !strings.Contains(r.Message, "nicht erreichbar") {
		t.Errorf("unreachable PostgreSQL: %v %s", r.Status, r.Message)
	}
	if d := time.Since(start); d > 4*time.Second {
		t.Errorf("unreachable database took %s", d)
	}
}

func TestReportAndExtension(t *testing.T) {
	t.Parallel()
	checks := []check.Check{
		{Name: "Eins", Run: func(context.Context) check.Result { return check.Result{Status: check.OK, Message: "gut"} }},
		{Name: "Upload-Verzeichnis", Run: func(context.Context) check.Result {
			return check.Result{Status: check.Warn, Message: "fehlt", Details: []string{"wird angelegt"}}
		}},
		{Name: "Panik", Run: func(context.Context) check.Result { panic("kaputt") }},
	}
	rep := check.Run(context.Background(), checks)
	if rep.OK() || rep.Count(check.Fail) != 1 || rep.Count(check.Warn) != 1 {
		t.Fatalf("%+v", rep)
	}
	var b bytes.Buffer
	if err := rep.Write(&b); err != nil {
		t.Fatal(err)
	}
	want := "ok    Eins                gut\n" +
		"warn  Upload-Verzeichnis  fehlt\n" +
		"                          – wird angelegt\n" +
		"FAIL  Panik               interner Fehler der Prüfung: kaputt\n"
	if b.String() != want {
		t.Errorf("report\n%s\nwant\n%s", b.String(), want)
	}
	if !check.Run(context.Background(), checks[:2]).OK() {
		t.Error("warnings make the report fail")
	}
}

func TestDatabaseOnPostgres(t *testing.T) {
	t.Parallel()
	if storetest.Dialect() != "postgres" {
		t.Skipf("PostgreSQL only: %s is not set", storetest.EnvURL)
	}
	ctx := context.Background()
	url := storetest.URL(t)
	r := check.Database(url, 5*time.Second).Run(ctx)
	if r.Status != check.Warn || !strings.Contains(r.Message, "ausstehend") {
		t.Errorf("empty database: %v %s", r.Status, r.Message)
	}
	db, err := store.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx, slog.New(slog.DiscardHandler)); err != nil {
		t.Fatal(err)
	}
	if r := check.Database(url, 5*time.Second).Run(ctx); r.Status != check.OK {
		t.Errorf("migrated: %v %s", r.Status, r.Message)
	}
}
