// Package config is the service's configuration: one typed struct with
// defaults, an optional TOML file and TREFFEN_* environment overrides.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net"
	netmail "net/mail"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// Config is every setting of the service. The toml tag is the key in the
// file; the env tag the environment variable that overrides it.
type Config struct {
	Addr            string        `toml:"addr" env:"TREFFEN_ADDR" doc:"Listen address of the HTTP server"`
	BaseURL         string        `toml:"base_url" env:"TREFFEN_BASE_URL" doc:"Public URL used in mails and links (default: http://ADDR)"`
	DatabaseURL     string        `toml:"database_url" env:"TREFFEN_DATABASE_URL" secret:"true" doc:"postgres://user:pass@host/db or sqlite:PATH (default sqlite:./data/treffen.db)"`
	SMTPURL         string        `toml:"smtp_url" env:"TREFFEN_SMTP_URL" secret:"true" doc:"smtp://user:pass@host:587 or smtps://…:465; empty: mails are logged and kept in the app"`
	MailFrom        string        `toml:"mail_from" env:"TREFFEN_MAIL_FROM" doc:"Sender address of mails"`
	OrganiserName   string        `toml:"organiser_name" env:"TREFFEN_ORGANISER_NAME" doc:"Name shown as organiser in mails and pages"`
	AdminEmail      string        `toml:"admin_email" env:"TREFFEN_ADMIN_EMAIL" doc:"First organiser, created on start when no user exists"`
	AdminPassword   string        `toml:"admin_password" env:"TREFFEN_ADMIN_PASSWORD" secret:"true" doc:"Password of the first organiser"`
	Demo            bool          `toml:"demo" env:"TREFFEN_DEMO" doc:"Load demo data on start when the database has no meetings"`
	SessionTTL      time.Duration `toml:"session_ttl" env:"TREFFEN_SESSION_TTL" doc:"How long a login lasts"`
	SecureCookies   bool          `toml:"secure_cookies" env:"TREFFEN_SECURE_COOKIES" doc:"Mark cookies Secure (set when served over HTTPS; default: true when base_url is https)"`
	LogFormat       string        `toml:"log_format" env:"TREFFEN_LOG_FORMAT" doc:"text or json"`
	LogLevel        string        `toml:"log_level" env:"TREFFEN_LOG_LEVEL" doc:"debug, info, warn or error"`
	ShutdownTimeout time.Duration `toml:"shutdown_timeout" env:"TREFFEN_SHUTDOWN_TIMEOUT" doc:"How long in-flight requests and the mail worker get to finish on SIGTERM"`
	MailPoll        time.Duration `toml:"mail_poll_interval" env:"TREFFEN_MAIL_POLL_INTERVAL" doc:"How often the mail worker looks for due mails when not woken"`
	MailLease       time.Duration `toml:"mail_lease" env:"TREFFEN_MAIL_LEASE" doc:"How long a mail being sent stays with its worker; after a crash it goes out again once this has passed (the SMTP conversation may take half of it)"`
	ReminderEvery   time.Duration `toml:"reminder_interval" env:"TREFFEN_REMINDER_INTERVAL" doc:"How often each instance looks for due reminders: before meetings and of feedback surveys (each goes once, whatever the number of instances)"`
	MailConnections int           `toml:"mail_connections" env:"TREFFEN_MAIL_CONNECTIONS" doc:"Mails sent at once, each over a connection of its own to the SMTP server"`
	MailRate        float64       `toml:"mail_rate" env:"TREFFEN_MAIL_RATE" doc:"Most mails sent a second by this instance, over all its connections, so the mail server does not throttle the sender (0: no limit)"`
	MailKeepBodies  time.Duration `toml:"mail_keep_bodies" env:"TREFFEN_MAIL_KEEP_BODIES" doc:"How long the text of a sent mail is kept for organisers to read; then it is deleted and the delivery record (kind, recipient, subject, time, Message-ID) stays (0: kept until the participant is anonymised)"`
	RegisterLimit   int           `toml:"rate_limit_register" env:"TREFFEN_RATE_LIMIT_REGISTER" doc:"Registrations and manage-link changes per minute and client IP (0: no limit)"`
	LoginLimit      int           `toml:"rate_limit_login" env:"TREFFEN_RATE_LIMIT_LOGIN" doc:"Login and token attempts per minute and client IP (0: no limit)"`
	TrustedProxies  string        `toml:"trusted_proxies" env:"TREFFEN_TRUSTED_PROXIES" doc:"Comma-separated proxy addresses/CIDRs whose X-Forwarded-For is believed (empty: none)"`
	UploadDir       string        `toml:"upload_dir" env:"TREFFEN_UPLOAD_DIR" doc:"Directory for uploaded presentations and photos of the documentation (default: uploads beside the SQLite file, else ./data/uploads; back it up with the database)"`
	DebugAddr       string        `toml:"debug_addr" env:"TREFFEN_DEBUG_ADDR" doc:"Address of a separate listener for runtime profiles (net/http/pprof) at /debug/pprof/, e.g. 127.0.0.1:6060; empty: off. Loopback only unless debug_allow_remote"`
	DebugRemote     bool          `toml:"debug_allow_remote" env:"TREFFEN_DEBUG_ALLOW_REMOTE" doc:"Allow debug_addr beyond loopback (the profiles have no login; put them behind a firewall)"`
	PageCacheTTL    time.Duration `toml:"page_cache_ttl" env:"TREFFEN_PAGE_CACHE_TTL" doc:"How long public pages (start page, meetings, archive, programme) are served from memory to visitors without a login; a registration shows in the free places after at most this long (0: off, at most 1m)"`
	UploadMaxMB     int           `toml:"upload_max_mb" env:"TREFFEN_UPLOAD_MAX_MB" doc:"Largest file that may be uploaded, in MB"`

	// MediaOwnHosts are the hosts whose media files the Mediathek plays
	// without asking the visitor first: they are run by the organisation
	// (or on its behalf), so no data goes to a third party.
	MediaOwnHosts string `toml:"media_own_hosts" env:"TREFFEN_MEDIA_OWN_HOSTS" doc:"Comma-separated hosts of the organisation's own media server(s); the Mediathek plays their audio and video files directly. Files elsewhere and video platforms load only after the visitor agrees (the site's own host always counts as own)"`

	// FeedbackMinFreeTexts keeps a single free text from being told
	// apart (and so its writer recognised) among too few.
	FeedbackMinFreeTexts int `toml:"feedback_min_free_texts" env:"TREFFEN_FEEDBACK_MIN_FREE_TEXTS" doc:"Free-text answers of a feedback question are shown (page, PDF) only when at least this many exist"`

	// Privacy notice, consent and retention (see docs/privacy.md).
	PrivacyNotice     string `toml:"privacy_notice" env:"TREFFEN_PRIVACY_NOTICE" doc:"Text of the privacy notice at /datenschutz (Markdown: paragraphs, # headings, - lists, [links](url)); empty: the built-in notice"`
	PrivacyNoticeFile string `toml:"privacy_notice_file" env:"TREFFEN_PRIVACY_NOTICE_FILE" doc:"File with the privacy notice (Markdown or plain text), read at start; wins over privacy_notice"`
	ConsentText       string `toml:"consent_text" env:"TREFFEN_CONSENT_TEXT" doc:"Text next to the consent checkbox of the registration form"`
	RetentionMonths   int    `toml:"retention_months" env:"TREFFEN_RETENTION_MONTHS" doc:"Months after a meeting's last day until its participants' data is anonymised (0: never)"`
	PrivacyContact    string `toml:"privacy_contact" env:"TREFFEN_PRIVACY_CONTACT" doc:"Data protection contact named in the notice (name)"`
	PrivacyAddress    string `toml:"privacy_address" env:"TREFFEN_PRIVACY_ADDRESS" doc:"Postal address of the controller named in the notice"`
	PrivacyEmail      string `toml:"privacy_email" env:"TREFFEN_PRIVACY_EMAIL" doc:"Email address of the data protection contact"`
}

// OwnMediaHosts lists the hosts whose media play without consent: the
// configured ones and the host of base_url.
func (c Config) OwnMediaHosts() []string {
	var out []string
	for _, h := range strings.Split(c.MediaOwnHosts, ",") {
		if h = strings.ToLower(strings.TrimSpace(h)); h != "" {
			out = append(out, h)
		}
	}
	if u, err := url.Parse(c.BaseURL); err == nil && u.Hostname() != "" {
		out = append(out, strings.ToLower(u.Hostname()))
	}
	return out
}

// Default returns the built-in defaults: an embedded SQLite file, no SMTP.
func Default() Config {
	return Config{
		Addr:            "127.0.0.1:8080",
		DatabaseURL:     "sqlite:./data/treffen.db",
		MailFrom:        "Servicestelle Prävention <treffen@localhost>",
		OrganiserName:   "Institut für Soziale Arbeit e.V. (ISA)",
		SessionTTL:      12 * time.Hour,
		LogFormat:       "text",
		LogLevel:        "info",
		ShutdownTimeout: 20 * time.Second,
		MailPoll:        5 * time.Second,
		MailLease:       5 * time.Minute,
		ReminderEvery:   5 * time.Minute,
		MailConnections: 4,
		MailRate:        5,
		MailKeepBodies:  90 * 24 * time.Hour,
		RegisterLimit:   30,
		LoginLimit:      10,
		UploadMaxMB:     50,
		PageCacheTTL:    time.Second,

		FeedbackMinFreeTexts: 3,

		ConsentText:     DefaultConsentText,
		RetentionMonths: 12,
	}
}

// DefaultConsentText is shown next to the consent checkbox unless
// consent_text says otherwise.
const DefaultConsentText = "Ich willige ein, dass der Veranstalter meine Angaben zur Organisation dieser Veranstaltung verarbeitet (Teilnehmerliste, Namensschild, Bestätigungsmails). Die Daten werden nach der Veranstaltung gelöscht bzw. anonymisiert; die Einwilligung kann ich jederzeit über den Link in meiner Bestätigungsmail widerrufen."

// Load reads defaults, then the TOML file at path (if not empty), then the
// environment.
func Load(path string, getenv func(string) string) (Config, error) {
	cfg := Default()
	var problems []error
	if path == "" {
		path = getenv("TREFFEN_CONFIG")
	}
	if path != "" {
		raw, err := os.ReadFile(path)
		if err != nil {
			return cfg, fmt.Errorf("read config file: %w", err)
		}
		md, err := toml.Decode(string(raw), &cfg)
		if err != nil {
			return cfg, fmt.Errorf("config file %s: %w", path, err)
		}
		for _, key := range md.Undecoded() {
			problems = append(problems, fmt.Errorf("config file %s: unknown key %q", path, key.String()))
		}
	}
	secureSet := false
	_ = eachField(&cfg, func(f reflect.StructField, v reflect.Value) error {
		name := f.Tag.Get("env")
		raw := getenv(name)
		if raw == "" {
			return nil
		}
		if name == "TREFFEN_SECURE_COOKIES" {
			secureSet = true
		}
		if err := setValue(v, raw); err != nil {
			problems = append(problems, fmt.Errorf("%s=%q: %w", name, raw, err))
		}
		return nil
	})
	if cfg.BaseURL == "" {
		cfg.BaseURL = "http://" + cfg.Addr
	}
	if cfg.UploadDir == "" {
		cfg.UploadDir = defaultUploadDir(cfg.DatabaseURL)
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	if !secureSet && strings.HasPrefix(cfg.BaseURL, "https://") {
		cfg.SecureCookies = true
	}
	if err := cfg.Validate(); err != nil {
		problems = append(problems, err)
	}
	// Every problem is reported, not only the first (errors.Join; see
	// Problems).
	return cfg, errors.Join(problems...)
}

// Validate checks values that would only fail later. It reports every
// problem found, joined with errors.Join.
func (c Config) Validate() error {
	var problems []error
	add := func(format string, args ...any) { problems = append(problems, fmt.Errorf(format, args...)) }
	if _, err := url.Parse(c.BaseURL); err != nil || !strings.HasPrefix(c.BaseURL, "http") {
		add("base_url %q must be an http(s) URL", c.BaseURL)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		add("log_format %q: use text or json", c.LogFormat)
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		add("log_level %q: use debug, info, warn or error", c.LogLevel)
	}
	if (c.AdminEmail == "") != (c.AdminPassword == "") {
		add("set both TREFFEN_ADMIN_EMAIL and TREFFEN_ADMIN_PASSWORD, or neither")
	}
	if c.MailConnections < 1 || c.MailConnections > 64 {
		add("mail_connections %d: use 1 to 64", c.MailConnections)
	}
	if c.MailRate < 0 || math.IsNaN(c.MailRate) || math.IsInf(c.MailRate, 0) {
		add("mail_rate %v: use 0 (no limit) or a positive number of mails a second, e.g. 5", c.MailRate)
	}
	if c.MailKeepBodies < 0 {
		add("mail_keep_bodies must be 0 (keep) or positive")
	}
	if c.RegisterLimit < 0 || c.LoginLimit < 0 {
		add("rate limits must be 0 (off) or positive")
	}
	if c.PageCacheTTL < 0 || c.PageCacheTTL > time.Minute {
		add("page_cache_ttl %s: use 0 (off) to 1m", c.PageCacheTTL)
	}
	if err := checkDebugAddr(c.DebugAddr, c.DebugRemote); err != nil {
		problems = append(problems, err)
	}
	if c.UploadDir == "" {
		return fmt.Errorf("upload_dir must not be empty")
	}
	if c.UploadMaxMB < 1 || c.UploadMaxMB > 2048 {
		return fmt.Errorf("upload_max_mb %d: use 1 to 2048", c.UploadMaxMB)
	}
	if c.RetentionMonths < 0 {
		return fmt.Errorf("retention_months must be 0 (never) or positive")
	}
	if strings.TrimSpace(c.ConsentText) == "" {
		return fmt.Errorf("consent_text must not be empty")
	}
	if c.SessionTTL < time.Minute {
		add("session_ttl %s is too short", c.SessionTTL)
	}
	if c.ShutdownTimeout <= 0 || c.MailPoll <= 0 || c.ReminderEvery <= 0 {
		add("shutdown_timeout, mail_poll_interval and reminder_interval must be positive")
	}
	if d := c.DatabaseURL; d != "" && !strings.HasPrefix(d, "sqlite:") && !strings.HasPrefix(d, "postgres://") && !strings.HasPrefix(d, "postgresql://") {
		add("database_url %q: use postgres://… or sqlite:PATH", mask(d))
	}
	if _, err := netmail.ParseAddress(c.MailFrom); err != nil {
		add("mail_from %q is not a mail address: %v", c.MailFrom, err)
	}
	return errors.Join(problems...)
}

// checkDebugAddr refuses a profiling address reachable from other
// machines unless allowed: the profiles have no login and show the
// process's command line and memory.
func checkDebugAddr(addr string, allowRemote bool) error {
	if addr == "" || allowRemote {
		return nil
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("debug_addr %q: use host:port, e.g. 127.0.0.1:6060", addr)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("debug_addr %q is not a loopback address: use 127.0.0.1:PORT or set debug_allow_remote", addr)
}

// Problems splits an error of Load or Validate into the single problems.
func Problems(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, Problems(e)...)
		}
		return out
	}
	return []error{err}
}

// defaultUploadDir keeps uploads beside an SQLite file, so one data
// directory holds everything; with PostgreSQL they go to ./data/uploads.
func defaultUploadDir(databaseURL string) string {
	if path, ok := strings.CutPrefix(databaseURL, "sqlite:"); ok && path != "" && !strings.HasPrefix(path, ":memory:") {
		return filepath.Join(filepath.Dir(path), "uploads")
	}
	return filepath.Join(".", "data", "uploads")
}

// Proxies returns the trusted proxy list.
func (c Config) Proxies() []string {
	var out []string
	for _, p := range strings.Split(c.TrustedProxies, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// Describe lists every setting as "key = value" with secrets masked, for
// the start-up log.
func (c Config) Describe() []any {
	var out []any
	_ = eachField(&c, func(f reflect.StructField, v reflect.Value) error {
		val := fmt.Sprint(v.Interface())
		if f.Tag.Get("secret") == "true" && val != "" {
			val = mask(val)
		}
		out = append(out, f.Tag.Get("toml"), val)
		return nil
	})
	return out
}

// Keys documents every setting: key, environment variable, default, meaning.
func Keys() [][4]string {
	def := Default()
	var out [][4]string
	_ = eachField(&def, func(f reflect.StructField, v reflect.Value) error {
		out = append(out, [4]string{f.Tag.Get("toml"), f.Tag.Get("env"), fmt.Sprint(v.Interface()), f.Tag.Get("doc")})
		return nil
	})
	return out
}

// mask keeps a URL's scheme and host readable but hides credentials;
// any other secret is hidden whole.
func mask(s string) string {
	u, err := url.Parse(s)
	switch {
	case err != nil || u.Scheme == "" || u.Host == "" && u.Scheme != "sqlite":
		return "***"
	case u.Scheme == "sqlite":
		return s // a file path holds no secret
	}
	q := u.Query()
	for k := range q {
		if strings.Contains(strings.ToLower(k), "pass") {
			q.Set(k, "***")
		}
	}
	u.RawQuery = q.Encode()
	hadUser := u.User != nil
	u.User = nil
	out := u.String()
	if hadUser {
		out = strings.Replace(out, "://", "://***@", 1)
	}
	return out
}

func eachField(c *Config, fn func(reflect.StructField, reflect.Value) error) error {
	v := reflect.ValueOf(c).Elem()
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		if err := fn(t.Field(i), v.Field(i)); err != nil {
			return err
		}
	}
	return nil
}

func setValue(v reflect.Value, raw string) error {
	switch v.Interface().(type) {
	case string:
		v.SetString(raw)
	case bool:
		b, err := strconv.ParseBool(raw)
		if err != nil {
			return err
		}
		v.SetBool(b)
	case int:
		n, err := strconv.Atoi(raw)
		if err != nil {
			return err
		}
		v.SetInt(int64(n))
	case float64:
		f, err := strconv.ParseFloat(raw, 64)
		if err != nil {
			return err
		}
		v.SetFloat(f)
	case time.Duration:
		d, err := time.ParseDuration(raw)
		if err != nil {
			return err
		}
		v.SetInt(int64(d))
	default:
		return fmt.Errorf("unsupported type %s", v.Type())
	}
	return nil
}
