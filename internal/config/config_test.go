package config_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/config"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaultsFileAndEnvironment(t *testing.T) {
	cfg, err := config.Load("", env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != "127.0.0.1:8080" || cfg.DatabaseURL != "sqlite:./data/treffen.db" || cfg.BaseURL != "http://127.0.0.1:8080" {
		t.Fatalf("defaults: %+v", cfg)
	}
	file := filepath.Join(t.TempDir(), "treffen.toml")
	if err := os.WriteFile(file, []byte("addr = \"0.0.0.0:9000\"\nsession_ttl = \"2h\"\nbase_url = \"https://treffen.example.org/\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err = config.Load(file, env(map[string]string{"TREFFEN_ADDR": "127.0.0.1:7000", "TREFFEN_RATE_LIMIT_REGISTER": "0"}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Addr != "127.0.0.1:7000" || cfg.SessionTTL != 2*time.Hour || cfg.BaseURL != "https://treffen.example.org" || !cfg.SecureCookies || cfg.RegisterLimit != 0 {
		t.Fatalf("file+env: %+v", cfg)
	}
}

func TestRejectsUnknownKeysAndBadValues(t *testing.T) {
	file := filepath.Join(t.TempDir(), "treffen.toml")
	if err := os.WriteFile(file, []byte("adress = \"x\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := config.Load(file, env(nil)); err == nil || !strings.Contains(err.Error(), "adress") {
		t.Fatalf("unknown key: %v", err)
	}
	if _, err := config.Load("", env(map[string]string{"TREFFEN_SESSION_TTL": "lange"})); err == nil || !strings.Contains(err.Error(), "TREFFEN_SESSION_TTL") {
		t.Fatalf("bad duration: %v", err)
	}
	if cfg, err := config.Load("", env(map[string]string{"TREFFEN_MAIL_RATE": "2.5"})); err != nil || cfg.MailRate != 2.5 {
		t.Fatalf("mail rate 2.5: %v, %v", cfg.MailRate, err)
	}
	if cfg, _ := config.Load("", env(nil)); cfg.MailRate != 5 {
		t.Fatalf("default mail rate %v, want 5", cfg.MailRate)
	}
	if _, err := config.Load("", env(map[string]string{"TREFFEN_MAIL_RATE": "-1"})); err == nil || !strings.Contains(err.Error(), "mail_rate") {
		t.Fatalf("negative mail rate: %v", err)
	}
	if _, err := config.Load("", env(map[string]string{"TREFFEN_MAIL_RATE": "schnell"})); err == nil || !strings.Contains(err.Error(), "TREFFEN_MAIL_RATE") {
		t.Fatalf("mail rate not a number: %v", err)
	}
	if _, err := config.Load("", env(map[string]string{"TREFFEN_ADMIN_EMAIL": "a@b.example"})); err == nil {
		t.Fatal("admin email without password accepted")
	}
}

func TestDescribeMasksSecrets(t *testing.T) {
	cfg, err := config.Load("", env(map[string]string{
		"TREFFEN_DATABASE_URL": "postgres://treffen:supergeheim@db:5432/treffen", "TREFFEN_SMTP_URL": "smtp://user:smtp-pass@mail:587",
		"TREFFEN_ADMIN_EMAIL": "a@b.example", "TREFFEN_ADMIN_PASSWORD": "admin-geheim"}))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, kv := range cfg.Describe() {
		b.WriteString(kv.(string) + " ")
	}
	out := b.String()
	for _, secret := range []string{"supergeheim", "smtp-pass", "admin-geheim"} {
		if strings.Contains(out, secret) {
			t.Errorf("secret %q printed: %s", secret, out)
		}
	}
	if !strings.Contains(out, "db:5432") || !strings.Contains(out, "mail:587") {
		t.Errorf("hosts should stay readable: %s", out)
	}
}

func TestEveryKeyIsDocumentedInTheExampleFile(t *testing.T) {
	raw, err := os.ReadFile("../../config/treffen.example.toml")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range config.Keys() {
		if !strings.Contains(string(raw), k[0]+" ") || !strings.Contains(string(raw), k[1]) {
			t.Errorf("config/treffen.example.toml lacks %s (%s)", k[0], k[1])
		}
	}
}

func TestPrivacySettings(t *testing.T) {
	cfg, err := config.Load("", env(map[string]string{}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.RetentionMonths != 12 || cfg.ConsentText != config.DefaultConsentText {
		t.Errorf("defaults: %d %q", cfg.RetentionMonths, cfg.ConsentText)
	}
	cfg, err = config.Load("", env(map[string]string{"TREFFEN_RETENTION_MONTHS": "24", "TREFFEN_PRIVACY_EMAIL": "dsb@isa.example"}))
	if err != nil || cfg.RetentionMonths != 24 || cfg.PrivacyEmail != "dsb@isa.example" {
		t.Errorf("environment: %+v %v", cfg, err)
	}
	if _, err := config.Load("", env(map[string]string{"TREFFEN_RETENTION_MONTHS": "-1"})); err == nil {
		t.Error("negative retention accepted")
	}
	if _, err := config.Load("", env(map[string]string{"TREFFEN_CONSENT_TEXT": "   "})); err == nil {
		t.Error("blank consent text accepted")
	}
}

func TestReportsEveryProblemNotOnlyTheFirst(t *testing.T) {
	file := filepath.Join(t.TempDir(), "treffen.toml")
	if err := os.WriteFile(file, []byte("adress = \"x\"\nmail_form = \"y\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := config.Load(file, env(map[string]string{
		"TREFFEN_SESSION_TTL": "lange", "TREFFEN_RATE_LIMIT_LOGIN": "viele", "TREFFEN_LOG_FORMAT": "xml",
		"TREFFEN_LOG_LEVEL": "laut", "TREFFEN_DATABASE_URL": "mysql://x", "TREFFEN_MAIL_FROM": "kein absender"}))
	problems := config.Problems(err)
	want := []string{"adress", "mail_form", "TREFFEN_SESSION_TTL", "TREFFEN_RATE_LIMIT_LOGIN", "log_format", "log_level", "database_url", "mail_from"}
	if len(problems) != len(want) {
		t.Fatalf("%d problems, want %d: %v", len(problems), len(want), problems)
	}
	for i, w := range want {
		if !strings.Contains(problems[i].Error(), w) {
			t.Errorf("problem %d %q does not name %s", i, problems[i], w)
		}
	}
	if config.Problems(nil) != nil {
		t.Error("problems of nil")
	}
}

func TestUploadsLiveBesideTheSQLiteFile(t *testing.T) {
	for url, want := range map[string]string{
		"sqlite:/srv/treffen/treffen.db":        "/srv/treffen/uploads",
		"postgres://db/treffen?sslmode=disable": "data/uploads",
	} {
		cfg, err := config.Load("", env(map[string]string{"TREFFEN_DATABASE_URL": url}))
		if err != nil || cfg.UploadDir != want {
			t.Errorf("%s: upload dir %q (%v), want %q", url, cfg.UploadDir, err, want)
		}
	}
	cfg, err := config.Load("", env(map[string]string{"TREFFEN_UPLOAD_DIR": "/mnt/dateien"}))
	if err != nil || cfg.UploadDir != "/mnt/dateien" {
		t.Errorf("explicit upload dir: %q %v", cfg.UploadDir, err)
	}
}

func TestDebugAddrIsLoopbackUnlessAllowed(t *testing.T) {
	for addr, ok := range map[string]bool{"": true, "127.0.0.1:6060": true, "[::1]:6060": true, "localhost:6060": true,
		":6060": false, "0.0.0.0:6060": false, "192.0.2.1:6060": false, "6060": false} {
		_, err := config.Load("", env(map[string]string{"TREFFEN_DEBUG_ADDR": addr}))
		if (err == nil) != ok {
			t.Errorf("debug_addr %q: %v", addr, err)
		}
	}
	if _, err := config.Load("", env(map[string]string{"TREFFEN_DEBUG_ADDR": ":6060", "TREFFEN_DEBUG_ALLOW_REMOTE": "true"})); err != nil {
		t.Errorf("allowed remote address refused: %v", err)
	}
	if cfg, _ := config.Load("", env(map[string]string{})); cfg.DebugAddr != "" {
		t.Errorf("profiling on by default: %q", cfg.DebugAddr)
	}
}
