package web_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/isa-nrw/treffen/internal/account"
	"github.com/isa-nrw/treffen/internal/audit"
	"github.com/isa-nrw/treffen/internal/config"
	"github.com/isa-nrw/treffen/internal/outbox"
	"github.com/isa-nrw/treffen/internal/problem"
	"github.com/isa-nrw/treffen/internal/registration"
)

// The security tests drive the running server like a browser or an API
// client would; helpers here are prefixed sec to stay out of the way of
// the other test files of the package.

const secSession = "treffen_session"

// secSetCookie returns the Set-Cookie named name of r, or nil.
func secSetCookie(r response, name string) *http.Cookie {
	for _, line := range r.Header.Values("Set-Cookie") {
		if c, err := http.ParseSetCookie(line); err == nil && c.Name == name {
			return c
		}
	}
	return nil
}

// secDeviceCookie returns the device cookie set by r, or nil.
func secDeviceCookie(r response) *http.Cookie {
	for _, line := range r.Header.Values("Set-Cookie") {
		if c, err := http.ParseSetCookie(line); err == nil && strings.HasPrefix(c.Name, "treffen_device_") {
			return c
		}
	}
	return nil
}

// secWithSession sends a request that carries only the given session
// cookie, as an attacker who knows the value would.
func secWithSession(e *env, method, path, session string) response {
	e.t.Helper()
	req, _ := http.NewRequest(method, e.srv.URL+path, nil)
	if session != "" {
		req.AddCookie(&http.Cookie{Name: secSession, Value: session})
	}
	return e.do(e.client(), req)
}

func secLogin(e *env, c *http.Client, email, password string) response {
	e.t.Helper()
	return e.postForm(c, "/login", url.Values{"email": {email}, "password": {password}})
}

// secRedirectsToLogin reports whether r is the answer to a missing login.
func secRedirectsToLogin(r response) bool {
	return r.StatusCode == http.StatusSeeOther && strings.HasPrefix(r.Header.Get("Location"), "/login")
}

// secMails returns the queued mails of one kind, newest first.
func secMails(t *testing.T, e *env, kind outbox.Kind) []outbox.Message {
	t.Helper()
	all, err := e.outbox.List(context.Background(), outbox.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	var out []outbox.Message
	for _, m := range all {
		if m.Kind == kind {
			out = append(out, m)
		}
	}
	return out
}

var secSetLink = regexp.MustCompile(`http://treffen\.test(/password/set/[A-Za-z0-9_-]{43})\b`)

// secLinkOf takes the one-time link out of an account mail's text.
func secLinkOf(t *testing.T, m outbox.Message) string {
	t.Helper()
	match := secSetLink.FindStringSubmatch(m.TextBody)
	if match == nil {
		t.Fatalf("%s mail to %s carries no link:\n%s", m.Kind, m.Recipient, m.TextBody)
	}
	return match[1]
}

// secRetryAfter checks a 429 answer and returns its Retry-After seconds.
func secRetryAfter(t *testing.T, what string, r response) int {
	t.Helper()
	if r.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("%s: %d, want 429", what, r.StatusCode)
	}
	n, err := strconv.Atoi(r.Header.Get("Retry-After"))
	if err != nil || n < 1 {
		t.Fatalf("%s: Retry-After %q, want whole seconds ≥ 1", what, r.Header.Get("Retry-After"))
	}
	return n
}

func secRandomToken(t *testing.T) string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func TestSecuritySessionFixation(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	attacker, err := e.users.Create(ctx, account.NewUser{Email: "angreifer@herne.example", Password: "angreifer-passwort", Role: account.Host})
	if err != nil {
		t.Fatal(err)
	}
	planted, err := e.users.CreateSession(ctx, attacker.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	victim := e.client()
	base, _ := url.Parse(e.srv.URL)
	victim.Jar.SetCookies(base, []*http.Cookie{{Name: secSession, Value: planted, Path: "/"}})
	if r := e.get(victim, "/host"); r.StatusCode != http.StatusOK {
		t.Fatalf("planted session is not live before the login: %d", r.StatusCode)
	}

	login := secLogin(e, victim, organiserEmail, organiserPassword)
	if login.StatusCode != http.StatusSeeOther || login.Header.Get("Location") != "/admin/events" {
		t.Fatalf("login: %d → %q", login.StatusCode, login.Header.Get("Location"))
	}
	fresh := secSetCookie(login, secSession)
	if fresh == nil || fresh.Value == "" {
		t.Fatal("login set no session cookie")
	}
	if fresh.Value == planted {
		t.Fatal("login kept the planted session id (session fixation)")
	}
	for _, path := range []string{"/admin/events", "/host"} {
		if r := secWithSession(e, http.MethodGet, path, planted); !secRedirectsToLogin(r) {
			t.Errorf("planted cookie after the victim's login, %s: %d → %q, want redirect to /login", path, r.StatusCode, r.Header.Get("Location"))
		}
	}
	if r := secWithSession(e, http.MethodGet, "/admin/events", fresh.Value); r.StatusCode != http.StatusOK {
		t.Errorf("new session cookie: %d", r.StatusCode)
	}
	if r := e.get(victim, "/admin/events"); r.StatusCode != http.StatusOK {
		t.Errorf("victim's browser after login: %d", r.StatusCode)
	}
}

func TestSecuritySessionCookieFlags(t *testing.T) {
	for _, secure := range []bool{false, true} {
		t.Run(fmt.Sprintf("SecureCookies=%v", secure), func(t *testing.T) {
			e := newEnv(t, func(c *config.Config) { c.SecureCookies = secure })
			login := secLogin(e, e.client(), organiserEmail, organiserPassword)
			if login.StatusCode != http.StatusSeeOther {
				t.Fatalf("login: %d", login.StatusCode)
			}
			sc := secSetCookie(login, secSession)
			if sc == nil {
				t.Fatal("no session cookie")
			}
			if !sc.HttpOnly || sc.SameSite != http.SameSiteLaxMode || sc.Secure != secure || sc.Path != "/" || sc.MaxAge <= 0 {
				t.Errorf("session cookie %q: HttpOnly=%v SameSite=%v Secure=%v Path=%q MaxAge=%d; want HttpOnly, Lax, Secure=%v, /, positive",
					login.Header.Get("Set-Cookie"), sc.HttpOnly, sc.SameSite, sc.Secure, sc.Path, sc.MaxAge, secure)
			}
			if r := secWithSession(e, http.MethodGet, "/admin/events", sc.Value); r.StatusCode != http.StatusOK {
				t.Fatalf("session before logout: %d", r.StatusCode)
			}

			// The cookie is sent by hand: a jar keeps Secure cookies from plain http.
			out := secWithSession(e, http.MethodPost, "/logout", sc.Value)
			if out.StatusCode != http.StatusSeeOther {
				t.Fatalf("logout: %d", out.StatusCode)
			}
			cleared := secSetCookie(out, secSession)
			if cleared == nil || cleared.Value != "" || cleared.MaxAge >= 0 {
				t.Errorf("logout does not clear the session cookie: %v", out.Header.Values("Set-Cookie"))
			} else if !cleared.HttpOnly || cleared.Secure != secure {
				t.Errorf("clearing cookie lost its flags: %+v", cleared)
			}
			if flash := secSetCookie(out, "treffen_flash"); flash == nil || !flash.HttpOnly || flash.Secure != secure || flash.SameSite != http.SameSiteLaxMode {
				t.Errorf("flash cookie flags: %+v", flash)
			}
			if r := secWithSession(e, http.MethodGet, "/admin/events", sc.Value); !secRedirectsToLogin(r) {
				t.Errorf("old cookie after logout: %d → %q, want redirect to /login", r.StatusCode, r.Header.Get("Location"))
			}
		})
	}
}

func TestSecurityPasswordResetThroughPages(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	const unknownEmail = "niemand@isa.example"
	known := e.postForm(c, "/password/forgot", url.Values{"email": {organiserEmail}})
	unknown := e.postForm(c, "/password/forgot", url.Values{"email": {unknownEmail}})
	if known.StatusCode != http.StatusOK || unknown.StatusCode != known.StatusCode {
		t.Fatalf("forgot: known %d, unknown %d; want both 200", known.StatusCode, unknown.StatusCode)
	}
	if strings.ReplaceAll(known.Body, organiserEmail, "") != strings.ReplaceAll(unknown.Body, unknownEmail, "") {
		t.Error("the answer differs between a known and an unknown address")
	}
	mustContain(t, known.Body, "ein Konto besteht", organiserEmail)

	resets := secMails(t, e, outbox.PasswordReset)
	if len(resets) != 1 || resets[0].Recipient != organiserEmail {
		t.Fatalf("reset mails: %d (want 1 to %s)", len(resets), organiserEmail)
	}
	link := secLinkOf(t, resets[0])

	form := e.get(c, link)
	if form.StatusCode != http.StatusOK {
		t.Fatalf("reset form: %d", form.StatusCode)
	}
	mustContain(t, form.Body, "Neues Passwort festlegen", organiserEmail, `name="password_repeat"`)

	const newPassword = "ein ganz neues Passwort"
	mismatch := e.postForm(c, link, url.Values{"password": {newPassword}, "password_repeat": {"ein anderes Passwort"}})
	if mismatch.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("mismatching repeat: %d", mismatch.StatusCode)
	}
	mustContain(t, mismatch.Body, "Die beiden Passwörter stimmen nicht überein.")
	short := e.postForm(c, link, url.Values{"password": {"kurz"}, "password_repeat": {"kurz"}})
	if short.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("short password: %d", short.StatusCode)
	}
	mustContain(t, short.Body, "mindestens 10 Zeichen")

	good := url.Values{"password": {newPassword}, "password_repeat": {newPassword}}
	set := e.postForm(c, link, good)
	if set.StatusCode != http.StatusSeeOther || !strings.HasPrefix(set.Header.Get("Location"), "/login") {
		t.Fatalf("set password: %d → %q", set.StatusCode, set.Header.Get("Location"))
	}
	const used = "Dieser Link ist ungültig, abgelaufen oder wurde bereits verwendet."
	again := e.get(c, link)
	if again.StatusCode != http.StatusNotFound {
		t.Fatalf("used link: %d, want 404", again.StatusCode)
	}
	mustContain(t, again.Body, used)
	if r := e.postForm(c, link, good); r.StatusCode != http.StatusNotFound {
		t.Errorf("used link posted again: %d, want 404", r.StatusCode)
	}

	if r := secLogin(e, e.client(), organiserEmail, organiserPassword); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("old password after reset: %d, want 401", r.StatusCode)
	}
	if r := secLogin(e, e.client(), organiserEmail, newPassword); r.StatusCode != http.StatusSeeOther {
		t.Errorf("new password after reset: %d, want 303", r.StatusCode)
	}

	// An expired link is as dead as a used one.
	if r := e.postForm(c, "/password/forgot", url.Values{"email": {organiserEmail}}); r.StatusCode != http.StatusOK {
		t.Fatalf("second reset request: %d", r.StatusCode)
	}
	resets = secMails(t, e, outbox.PasswordReset)
	if len(resets) != 2 {
		t.Fatalf("reset mails after the second request: %d", len(resets))
	}
	expired := secLinkOf(t, resets[0])
	if expired == link {
		t.Fatal("the second reset mail carries the first link")
	}
	if err := e.db.Gorm.Exec("UPDATE account_links SET expires_at = ? WHERE used_at IS NULL", time.Now().UTC().Add(-time.Minute)).Error; err != nil {
		t.Fatal(err)
	}
	if r := e.get(c, expired); r.StatusCode != http.StatusNotFound {
		t.Errorf("expired link: %d, want 404", r.StatusCode)
	} else {
		mustContain(t, r.Body, used)
	}
	other := url.Values{"password": {"noch ein neues Passwort"}, "password_repeat": {"noch ein neues Passwort"}}
	if r := e.postForm(c, expired, other); r.StatusCode != http.StatusNotFound {
		t.Errorf("expired link posted: %d, want 404", r.StatusCode)
	}
	if r := secLogin(e, e.client(), organiserEmail, newPassword); r.StatusCode != http.StatusSeeOther {
		t.Errorf("password changed through an expired link: login %d", r.StatusCode)
	}
}

func TestSecurityInvitation(t *testing.T) {
	e := newEnv(t)
	org := e.loggedIn()
	const email, password = "koordination@ahlen.example", "kommunal und sicher"
	invite := e.postForm(org, "/admin/users", url.Values{"email": {email}, "name": {"Kora Koordination"},
		"role": {string(account.Coordinator)}, "municipality_id": {fmt.Sprint(e.ahlen.ID)}})
	if invite.StatusCode != http.StatusSeeOther || invite.Header.Get("Location") != "/admin/users" {
		t.Fatalf("invite: %d → %q\n%s", invite.StatusCode, invite.Header.Get("Location"), invite.Body)
	}
	invitations := secMails(t, e, outbox.Invitation)
	if len(invitations) != 1 || invitations[0].Recipient != email {
		t.Fatalf("invitation mails: %+v", invitations)
	}
	link := secLinkOf(t, invitations[0])

	anon := e.client()
	for _, pw := range []string{"", password} {
		if r := secLogin(e, anon, email, pw); r.StatusCode != http.StatusUnauthorized {
			t.Errorf("invited account logs in with %q before setting a password: %d", pw, r.StatusCode)
		}
	}
	form := e.get(anon, link)
	if form.StatusCode != http.StatusOK {
		t.Fatalf("invitation link: %d", form.StatusCode)
	}
	mustContain(t, form.Body, "Willkommen", email, "Kommunale Koordination")
	set := e.postForm(anon, link, url.Values{"password": {password}, "password_repeat": {password}})
	if set.StatusCode != http.StatusSeeOther {
		t.Fatalf("set first password: %d", set.StatusCode)
	}

	// Follow the chain as a browser does: login page, login, portal.
	loginPage := e.get(anon, set.Header.Get("Location"))
	if loginPage.StatusCode != http.StatusOK {
		t.Fatalf("login page %q: %d", set.Header.Get("Location"), loginPage.StatusCode)
	}
	mustContain(t, loginPage.Body, "Ihr Passwort ist gespeichert")
	next := regexp.MustCompile(`name="next" value="([^"]*)"`).FindStringSubmatch(loginPage.Body)
	if next == nil {
		t.Fatal("login page without next field")
	}
	login := e.postForm(anon, "/login", url.Values{"email": {email}, "password": {password}, "next": {next[1]}})
	if login.StatusCode != http.StatusSeeOther || login.Header.Get("Location") != "/portal" {
		t.Fatalf("coordinator login: %d → %q, want /portal", login.StatusCode, login.Header.Get("Location"))
	}
	portal := e.get(anon, "/portal")
	if portal.StatusCode != http.StatusOK {
		t.Fatalf("portal: %d", portal.StatusCode)
	}
	mustContain(t, portal.Body, "Stadt Ahlen")

	bad := e.postForm(org, "/admin/users", url.Values{"email": {"zweite@ahlen.example"}, "name": {"Zora Zweitname"},
		"role": {string(account.Coordinator)}, "municipality_id": {""}})
	if bad.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("coordinator without municipality: %d", bad.StatusCode)
	}
	mustContain(t, bad.Body, "Eine kommunale Koordination gehört zu einer Kommune.", `value="zweite@ahlen.example"`,
		`value="Zora Zweitname"`, `<option value="coordinator" selected>`, `aria-invalid="true"`)

	dup := e.postForm(org, "/admin/users", url.Values{"email": {"Koordination@Ahlen.example"}, "name": {"Noch einmal"},
		"role": {string(account.Coordinator)}, "municipality_id": {fmt.Sprint(e.ahlen.ID)}})
	if dup.StatusCode != http.StatusConflict {
		t.Fatalf("same address twice: %d", dup.StatusCode)
	}
	mustContain(t, dup.Body, "Für diese E-Mail-Adresse gibt es schon ein Konto.", `value="Noch einmal"`)
	if n := len(secMails(t, e, outbox.Invitation)); n != 1 {
		t.Errorf("invitation mails after the refused invitations: %d, want 1", n)
	}
}

func TestSecurityRateLimits(t *testing.T) {
	t.Run("per IP on password forgot", func(t *testing.T) {
		e := newEnv(t, func(c *config.Config) { c.LoginLimit = 2 })
		for i := range 2 {
			if r := e.postForm(e.client(), "/password/forgot", url.Values{"email": {fmt.Sprintf("p%d@x.example", i)}}); r.StatusCode != http.StatusOK {
				t.Fatalf("request %d: %d", i+1, r.StatusCode)
			}
		}
		r := e.postForm(e.client(), "/password/forgot", url.Values{"email": {organiserEmail}})
		if wait := secRetryAfter(t, "third request from one IP", r); wait > 60 {
			t.Errorf("Retry-After %d s for a limit of 2 per minute", wait)
		}
		mustContain(t, r.Body, "Zu viele Anfragen")
		if n := len(secMails(t, e, outbox.PasswordReset)); n != 0 {
			t.Errorf("a refused request queued %d reset mails", n)
		}
	})

	t.Run("per email on resend and reset", func(t *testing.T) {
		e := newEnv(t, func(c *config.Config) { c.LoginLimit, c.RegisterLimit = 0, 0 })
		ev := e.event(10, 0, 1)
		for _, addr := range []string{"eins@ahlen.example", "zwei@ahlen.example"} {
			if _, err := e.regs.Register(context.Background(), ev.ID, registration.Input{FirstName: "Eva", LastName: "Engel", Email: addr,
				MunicipalityID: &e.ahlen.ID, PrivacyConsent: true}, registration.Options{}); err != nil {
				t.Fatal(err)
			}
		}
		for i := range 3 {
			if r := e.postForm(e.client(), "/manage", url.Values{"email": {"eins@ahlen.example"}}); r.StatusCode != http.StatusOK {
				t.Fatalf("resend %d: %d", i+1, r.StatusCode)
			}
		}
		// Another spelling of the same address counts against the same limit.
		r := e.postForm(e.client(), "/manage", url.Values{"email": {" Eins@Ahlen.example "}})
		secRetryAfter(t, "fourth resend for one address", r)
		mustContain(t, r.Body, "Für diese E-Mail-Adresse gab es gerade zu viele Anfragen")
		if r := e.postForm(e.client(), "/manage", url.Values{"email": {"zwei@ahlen.example"}}); r.StatusCode != http.StatusOK {
			t.Errorf("resend for another address: %d", r.StatusCode)
		}
		if n := len(secMails(t, e, outbox.ManageLink)); n != 4 {
			t.Errorf("manage_link mails: %d, want 3 + 1", n)
		}

		for i := range 3 {
			if r := e.postForm(e.client(), "/password/forgot", url.Values{"email": {organiserEmail}}); r.StatusCode != http.StatusOK {
				t.Fatalf("reset request %d: %d", i+1, r.StatusCode)
			}
		}
		secRetryAfter(t, "fourth reset request for one address", e.postForm(e.client(), "/password/forgot", url.Values{"email": {organiserEmail}}))
		if n := len(secMails(t, e, outbox.PasswordReset)); n != 3 {
			t.Errorf("reset mails: %d, want 3", n)
		}
	})

	t.Run("login throttled per address for unknown clients", func(t *testing.T) {
		e := newEnv(t, func(c *config.Config) { c.LoginLimit, c.RegisterLimit = 0, 0 })
		const otherEmail, otherPassword = "zweite@isa.example", "ein zweites Passwort"
		if _, err := e.users.Create(context.Background(), account.NewUser{Email: otherEmail, Password: otherPassword, Role: account.Organiser}); err != nil {
			t.Fatal(err)
		}
		for i := range 5 {
			if r := secLogin(e, e.client(), organiserEmail, fmt.Sprintf("falsch-%d", i)); r.StatusCode != http.StatusUnauthorized {
				t.Fatalf("wrong password %d: %d", i+1, r.StatusCode)
			}
		}
		r := secLogin(e, e.client(), organiserEmail, organiserPassword)
		if wait := secRetryAfter(t, "right password after 5 failures", r); wait > 3 {
			t.Errorf("Retry-After %d s, want about 2 s after the fifth failure", wait)
		}
		mustContain(t, r.Body, "Zu viele Fehlversuche für diese E-Mail-Adresse", `value="`+organiserEmail+`"`)
		if secSetCookie(r, secSession) != nil {
			t.Error("a throttled login set a session cookie")
		}
		if r := secLogin(e, e.client(), otherEmail, otherPassword); r.StatusCode != http.StatusSeeOther {
			t.Errorf("another account from the same client: %d", r.StatusCode)
		}
		// Once the wait is over an unknown client gets in again.
		if err := e.db.Gorm.Exec("UPDATE login_throttles SET last_failed_at = ?", time.Now().UTC().Add(-time.Hour)).Error; err != nil {
			t.Fatal(err)
		}
		if r := secLogin(e, e.client(), organiserEmail, organiserPassword); r.StatusCode != http.StatusSeeOther {
			t.Errorf("right password after the wait: %d", r.StatusCode)
		}
	})

	t.Run("an outsider cannot lock the owner out", func(t *testing.T) {
		e := newEnv(t, func(c *config.Config) { c.TrustedProxies = "127.0.0.1/32" })
		owner := e.client()
		r := secLogin(e, owner, organiserEmail, organiserPassword)
		device := secDeviceCookie(r)
		if r.StatusCode != http.StatusSeeOther || device == nil || device.Value == "" || !device.HttpOnly || device.MaxAge < 30*24*3600 {
			t.Fatalf("first login: %d, device cookie %+v", r.StatusCode, device)
		}
		// Guessers from 40 addresses, one guess a minute each: far more
		// than the per-address count allows, within the per-IP rate.
		from := func(ip string, email, password string) response {
			req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/login", strings.NewReader(url.Values{"email": {email}, "password": {password}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Forwarded-For", ip)
			return e.do(e.client(), req)
		}
		throttled := 0
		for i := range 40 {
			switch r := from(fmt.Sprintf("198.51.100.%d", i+1), organiserEmail, fmt.Sprintf("geraten-%d", i)); r.StatusCode {
			case http.StatusTooManyRequests:
				throttled++
			case http.StatusUnauthorized:
			default:
				t.Fatalf("guess %d: %d", i, r.StatusCode)
			}
		}
		if throttled < 30 {
			t.Errorf("only %d of 40 guesses from 40 addresses were throttled: the per-account throttle does not hold", throttled)
		}
		// A new browser with the right password is still held back …
		if r := from("203.0.113.7", organiserEmail, organiserPassword); r.StatusCode != http.StatusTooManyRequests {
			t.Errorf("unknown browser with the right password during the attack: %d, want 429", r.StatusCode)
		}
		// … the owner's browser is not, and gets a fresh device token.
		r = secLogin(e, owner, organiserEmail, organiserPassword)
		if r.StatusCode != http.StatusSeeOther || secSetCookie(r, secSession) == nil {
			t.Fatalf("owner's known browser during the attack: %d\n%s", r.StatusCode, r.Body)
		}
		if renewed := secDeviceCookie(r); renewed == nil || renewed.Value == device.Value {
			t.Error("device cookie not renewed on login")
		}
		// A made-up device cookie is no known browser.
		fake := e.client()
		u, _ := url.Parse(e.srv.URL)
		fake.Jar.SetCookies(u, []*http.Cookie{{Name: device.Name, Value: device.Value}})
		if r := secLogin(e, fake, organiserEmail, organiserPassword); r.StatusCode != http.StatusTooManyRequests {
			t.Errorf("replaced device token: %d, want 429", r.StatusCode)
		}
	})

	t.Run("known API client keeps getting tokens", func(t *testing.T) {
		e := newEnv(t)
		token := func(device string) (int, map[string]any) {
			body, _ := json.Marshal(map[string]string{"email": organiserEmail, "password": organiserPassword, "device_token": device})
			req, _ := http.NewRequest(http.MethodPost, e.srv.URL+"/api/v1/tokens", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			r := e.do(e.client(), req)
			var out map[string]any
			_ = json.Unmarshal([]byte(r.Body), &out)
			return r.StatusCode, out
		}
		status, first := token("")
		device, _ := first["device_token"].(string)
		if status != http.StatusCreated || device == "" {
			t.Fatalf("first token: %d %v", status, first)
		}
		for i := range 10 {
			secLogin(e, e.client(), organiserEmail, fmt.Sprintf("falsch-%d", i))
		}
		if status, _ := token(""); status != http.StatusTooManyRequests {
			t.Errorf("unknown API client after 10 failures: %d, want 429", status)
		}
		if status, out := token(device); status != http.StatusCreated {
			t.Errorf("known API client after 10 failures elsewhere: %d %v", status, out)
		}
	})

	t.Run("at most 10 tries a minute from one address", func(t *testing.T) {
		e := newEnv(t)
		limited := 0
		for i := range 15 {
			// Different addresses: only the per-source rate is left.
			r := secLogin(e, e.client(), fmt.Sprintf("person-%d@isa.example", i), "falsch")
			if r.StatusCode == http.StatusTooManyRequests {
				limited++
				mustContain(t, r.Body, "Zu viele Anfragen", `value="person-`)
			}
		}
		if limited != 5 {
			t.Errorf("%d of 15 tries in a burst answered 429, want 5 (10 allowed a minute)", limited)
		}
	})

	t.Run("throttled unknown address answers like an account", func(t *testing.T) {
		e := newEnv(t, func(c *config.Config) { c.LoginLimit = 0 })
		last := func(email string) response {
			var r response
			for range 6 {
				r = secLogin(e, e.client(), email, "falsch")
			}
			return r
		}
		known, unknown := last(organiserEmail), last("niemand@isa.example")
		if known.StatusCode != http.StatusTooManyRequests || unknown.StatusCode != known.StatusCode {
			t.Fatalf("sixth failure: account %d, no account %d", known.StatusCode, unknown.StatusCode)
		}
		msg := regexp.MustCompile(`Zu viele Fehlversuche[^<]*`)
		if a, b := msg.FindString(known.Body), msg.FindString(unknown.Body); a == "" || a != b {
			t.Errorf("messages differ: account %q, no account %q", a, b)
		}
	})
}

func TestSecurityCoordinatorPortal(t *testing.T) {
	e := newEnv(t, func(c *config.Config) { c.LoginLimit, c.RegisterLimit = 0, 0 })
	ctx := context.Background()
	const coordEmail, coordPassword = "k.koordination@ahlen.example", "kommunale-koordination"
	coord, err := e.users.Create(ctx, account.NewUser{Email: coordEmail, Name: "Kai Koordination", Password: coordPassword,
		Role: account.Coordinator, MunicipalityID: &e.ahlen.ID})
	if err != nil {
		t.Fatal(err)
	}
	ev := e.event(20, 2, 1)
	foreign, err := e.regs.Register(ctx, ev.ID, registration.Input{FirstName: "Clara", LastName: "Coesfelder", Email: "c.coesfelder@coesfeld.example",
		MunicipalityID: &e.coesfeld.ID, Function: "Jugendamt", PrivacyConsent: true}, registration.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := e.client()
	if r := secLogin(e, c, coordEmail, coordPassword); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/portal" {
		t.Fatalf("coordinator login: %d → %q", r.StatusCode, r.Header.Get("Location"))
	}
	page := fmt.Sprintf("/portal/events/%d", ev.ID)
	post := page + "/registrations"
	byEmail := func(addr string) (registration.Registration, bool) {
		t.Helper()
		regs, err := e.regs.List(ctx, ev.ID, registration.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range regs {
			if r.Email == addr {
				return r, true
			}
		}
		return registration.Registration{}, false
	}
	row := func(form url.Values, i int, first, last, email, function string) {
		for k, v := range map[string]string{"first_name": first, "last_name": last, "email": email, "function": function} {
			form.Set(k+"."+strconv.Itoa(i), v)
		}
	}

	// Two people, one empty row; a posted municipality is ignored.
	form := url.Values{"consent": {"1"}, "municipality_id": {fmt.Sprint(e.coesfeld.ID)},
		"municipality_id.0": {fmt.Sprint(e.coesfeld.ID)}, "days.0": {ev.Days[0].String()}}
	row(form, 0, "Anna", "Albers", "a.albers@ahlen.example", "Jugendamt")
	row(form, 1, "Bernd", "Brüning", "b.bruening@ahlen.example", "Schulamt")
	row(form, 2, "", "", "", "")
	r := e.postForm(c, post, form)
	if loc, _, _ := strings.Cut(r.Header.Get("Location"), "#"); r.StatusCode != http.StatusSeeOther || loc != page {
		t.Fatalf("portal registration: %d → %q\n%s", r.StatusCode, r.Header.Get("Location"), r.Body)
	}
	mustContain(t, e.get(c, page).Body, "2 Personen angemeldet: 2 bestätigt", "Albers", "Brüning")
	for _, addr := range []string{"a.albers@ahlen.example", "b.bruening@ahlen.example"} {
		reg, ok := byEmail(addr)
		switch {
		case !ok:
			t.Errorf("%s not registered", addr)
		case reg.MunicipalityID == nil || *reg.MunicipalityID != e.ahlen.ID:
			t.Errorf("%s registered for municipality %v, want Stadt Ahlen (%d)", addr, reg.MunicipalityID, e.ahlen.ID)
		case reg.RegisteredByUserID == nil || *reg.RegisteredByUserID != coord.ID:
			t.Errorf("%s registered by %v, want the coordinator %d", addr, reg.RegisteredByUserID, coord.ID)
		case reg.Status != registration.Confirmed:
			t.Errorf("%s: %s, want confirmed", addr, reg.Status)
		}
	}

	// The quota of 2 is used: the next person waits.
	form = url.Values{"consent": {"1"}}
	row(form, 0, "Carla", "Cordes", "c.cordes@ahlen.example", "Gesundheitsamt")
	if r := e.postForm(c, post, form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("third person: %d", r.StatusCode)
	}
	mustContain(t, e.get(c, page).Body, "1 auf der Warteliste")
	if reg, _ := byEmail("c.cordes@ahlen.example"); reg.Status != registration.Waitlisted {
		t.Errorf("third person beyond the quota: %q, want waitlisted", reg.Status)
	}

	// One good row, one bad: nobody is registered, both rows stay as
	// typed and the mistake names its row.
	form = url.Values{"consent": {"1"}}
	row(form, 0, "Dora", "Dietz", "d.dietz@ahlen.example", "Sozialamt")
	row(form, 1, "Emil", "Esser", "kein-at-zeichen", "Ordnungsamt")
	mixed := e.postForm(c, post, form)
	if mixed.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("one bad row: %d", mixed.StatusCode)
	}
	mustContain(t, mixed.Body, "Eine von 2 Zeilen enthält einen Fehler; es wurde noch niemand angemeldet",
		"Zeile 2 (Emil Esser): Bitte geben Sie eine gültige E-Mail-Adresse an", `href="#f-email-1"`,
		`value="Dora"`, `value="d.dietz@ahlen.example"`, `value="Emil"`, `value="Esser"`, `value="kein-at-zeichen"`, `value="Ordnungsamt"`)
	if _, ok := byEmail("d.dietz@ahlen.example"); ok {
		t.Error("the valid row of a post with a mistake was registered")
	}
	if _, ok := byEmail("kein-at-zeichen"); ok {
		t.Error("the invalid row was registered")
	}
	form.Set("email.1", "e.esser@ahlen.example")
	if r := e.postForm(c, post, form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("corrected batch: %d", r.StatusCode)
	}
	if reg, ok := byEmail("d.dietz@ahlen.example"); !ok || reg.Status != registration.Waitlisted {
		t.Errorf("the corrected batch: Dora Dietz %v %s, want waitlisted", ok, reg.Status)
	}

	// Without consent nobody is registered.
	form = url.Values{}
	row(form, 0, "Frieda", "Fuchs", "f.fuchs@ahlen.example", "Jugendamt")
	noConsent := e.postForm(c, post, form)
	if noConsent.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("without consent: %d", noConsent.StatusCode)
	}
	mustContain(t, noConsent.Body, "Bitte bestätigen Sie, dass die angemeldeten Personen", `value="Frieda"`, `value="f.fuchs@ahlen.example"`)
	if _, ok := byEmail("f.fuchs@ahlen.example"); ok {
		t.Error("registered without the consent checkbox")
	}

	// Change and cancel a registration of the own municipality.
	anna, _ := byEmail("a.albers@ahlen.example")
	annaPath := fmt.Sprintf("%s/registrations/%d", page, anna.ID)
	if r := e.get(c, annaPath); r.StatusCode != http.StatusOK {
		t.Fatalf("own registration page: %d", r.StatusCode)
	}
	if r := e.postForm(c, annaPath, url.Values{"first_name": {"Anna"}, "last_name": {"Albers-Brandt"}, "function": {"Jugendamt – Leitung"},
		"municipality_id": {fmt.Sprint(e.coesfeld.ID)}, "email": {"umgeleitet@evil.example"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("change own registration: %d\n%s", r.StatusCode, r.Body)
	}
	changed, _ := e.regs.Get(ctx, anna.ID)
	if changed.LastName != "Albers-Brandt" || changed.Function != "Jugendamt – Leitung" || changed.Email != anna.Email ||
		changed.MunicipalityID == nil || *changed.MunicipalityID != e.ahlen.ID {
		t.Errorf("after the change: %+v", changed)
	}
	if r := e.postForm(c, annaPath+"/cancel", url.Values{}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("cancel own registration: %d", r.StatusCode)
	}
	if got, _ := e.regs.Get(ctx, anna.ID); got.Status != registration.Cancelled {
		t.Errorf("after cancel: %s", got.Status)
	}
	if got, _ := byEmail("c.cordes@ahlen.example"); got.Status != registration.Confirmed {
		t.Errorf("first waiting person of Ahlen not promoted into the freed quota place: %s", got.Status)
	}
	entries, err := audit.NewStore(e.db.Gorm).List(ctx, audit.Filter{ObjectType: "registration", ObjectID: anna.ID})
	if err != nil {
		t.Fatal(err)
	}
	actions := map[audit.Action]bool{}
	for _, en := range entries {
		actions[en.Action] = true
		if en.Actor != coordEmail || en.ActorUserID == nil || *en.ActorUserID != coord.ID {
			t.Errorf("audit %s by %q (%v), want the coordinator %s", en.Action, en.Actor, en.ActorUserID, coordEmail)
		}
	}
	for _, a := range []audit.Action{audit.RegistrationCreated, audit.RegistrationUpdated, audit.RegistrationCancelled} {
		if !actions[a] {
			t.Errorf("audit log lacks %s for the coordinator's registration", a)
		}
	}

	// Another municipality's registration is out of reach.
	foreignPath := fmt.Sprintf("%s/registrations/%d", page, foreign.ID)
	for _, r := range []response{
		e.get(c, foreignPath),
		e.postForm(c, foreignPath, url.Values{"first_name": {"Gekapert"}, "last_name": {"Coesfelder"}}),
		e.postForm(c, foreignPath+"/cancel", url.Values{}),
	} {
		if r.StatusCode != http.StatusForbidden {
			t.Errorf("Coesfeld registration: %d, want 403", r.StatusCode)
		}
	}
	if got, _ := e.regs.Get(ctx, foreign.ID); got.Status != registration.Confirmed || got.FirstName != "Clara" {
		t.Errorf("Coesfeld registration touched: %s %s", got.Status, got.FirstName)
	}
}

func TestSecurityManageLinksCannotBeEnumerated(t *testing.T) {
	e := newEnv(t)
	ev := e.event(10, 0, 1)
	reg, err := e.regs.Register(context.Background(), ev.ID, registration.Input{FirstName: "Ida", LastName: "Imhoff", Email: "ida@ahlen.example",
		MunicipalityID: &e.ahlen.ID, PrivacyConsent: true}, registration.Options{})
	if err != nil {
		t.Fatal(err)
	}
	c := e.client()
	length := -1
	for i := range 200 {
		token := secRandomToken(t)
		if token == reg.ManageToken {
			continue
		}
		r := e.get(c, "/manage/"+token)
		if r.StatusCode != http.StatusNotFound {
			t.Fatalf("guessed link %d: %d, want 404", i, r.StatusCode)
		}
		if length == -1 {
			length = len(r.Body)
		} else if len(r.Body) != length {
			t.Fatalf("guessed link %d: body of %d bytes, the first had %d", i, len(r.Body), length)
		}
	}
	if r := e.get(c, "/manage/"+reg.ManageToken); r.StatusCode != http.StatusOK {
		t.Fatalf("valid link: %d", r.StatusCode)
	} else {
		mustContain(t, r.Body, "Imhoff")
	}

	const unregistered = "udo@ahlen.example" // as long as the registered address
	registered := e.postForm(e.client(), "/manage", url.Values{"email": {reg.Email}})
	stranger := e.postForm(e.client(), "/manage", url.Values{"email": {unregistered}})
	if registered.StatusCode != http.StatusOK || stranger.StatusCode != registered.StatusCode {
		t.Fatalf("resend: registered %d, unregistered %d", registered.StatusCode, stranger.StatusCode)
	}
	if strings.ReplaceAll(registered.Body, reg.Email, "") != strings.ReplaceAll(stranger.Body, unregistered, "") {
		t.Error("the resend page answers differently for a registered and an unregistered address")
	}
	links := secMails(t, e, outbox.ManageLink)
	if len(links) != 1 || links[0].Recipient != reg.Email || links[0].RegistrationID == nil || *links[0].RegistrationID != reg.ID {
		t.Errorf("manage_link mails: %+v, want one for %s", links, reg.Email)
	}
}

func TestSecurityAPITokensThroughPages(t *testing.T) {
	e := newEnv(t)
	org := e.loggedIn()
	created := e.postForm(org, "/account/tokens", url.Values{"name": {"Auswertung Statistik"}})
	if created.StatusCode != http.StatusCreated {
		t.Fatalf("create token: %d", created.StatusCode)
	}
	m := regexp.MustCompile(`<code id="neues-token">([A-Za-z0-9_-]{43})</code>`).FindStringSubmatch(created.Body)
	if m == nil {
		t.Fatal("the new token is not shown")
	}
	plain := m[1]
	if page := e.get(org, "/account/tokens"); page.StatusCode != http.StatusOK || strings.Contains(page.Body, plain) {
		t.Errorf("tokens page later: %d, shows the plain token again: %v", page.StatusCode, strings.Contains(page.Body, plain))
	}

	listed := e.api(http.MethodGet, "/api/v1/tokens", plain, nil)
	if listed.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/v1/tokens with the new token: %d", listed.StatusCode)
	}
	if strings.Contains(listed.Body, plain) || strings.Contains(listed.Body, "hash") {
		t.Errorf("token list reveals secrets: %s", listed.Body)
	}
	var list struct {
		Items []struct {
			ID        int64   `json:"id"`
			Name      string  `json:"name"`
			RevokedAt *string `json:"revoked_at"`
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(listed.Body), &list); err != nil {
		t.Fatal(err)
	}
	var id int64
	for _, it := range list.Items {
		if it.Name == "Auswertung Statistik" {
			id = it.ID
		}
	}
	if id == 0 {
		t.Fatalf("created token not listed: %s", listed.Body)
	}

	if r := e.api(http.MethodDelete, fmt.Sprintf("/api/v1/tokens/%d", id), plain, nil); r.StatusCode != http.StatusNoContent {
		t.Fatalf("revoke: %d %s", r.StatusCode, r.Body)
	}
	if r := e.api(http.MethodGet, "/api/v1/tokens", plain, nil); r.StatusCode != http.StatusUnauthorized || r.Header.Get("WWW-Authenticate") == "" {
		t.Errorf("revoked token: %d (WWW-Authenticate %q), want 401", r.StatusCode, r.Header.Get("WWW-Authenticate"))
	}

	host, err := e.users.Create(context.Background(), account.NewUser{Email: "h@koeln.example", Password: "gastgeber-passwort", Role: account.Host})
	if err != nil {
		t.Fatal(err)
	}
	hostToken, _, err := e.users.CreateToken(context.Background(), host.ID, "Gastgeber")
	if err != nil {
		t.Fatal(err)
	}
	if r := e.api(http.MethodGet, "/api/v1/tokens", hostToken, nil); r.StatusCode != http.StatusForbidden {
		t.Errorf("host token on GET /api/v1/tokens: %d, want 403", r.StatusCode)
	}

	log := e.get(org, "/admin/audit")
	if log.StatusCode != http.StatusOK {
		t.Fatalf("audit page: %d", log.StatusCode)
	}
	mustContain(t, log.Body, "API-Token erstellt", "API-Token widerrufen", "Auswertung Statistik")
}

func TestSecurityHostSeesOwnMeetingOnly(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	a := e.event(1, 0, 1)
	b := e.event(10, 0, 1)
	for _, p := range []struct{ last, email string }{{"Bestätigt-Berger", "berger@ahlen.example"}, {"Wartend-Weber", "weber@ahlen.example"}} {
		if _, err := e.regs.Register(ctx, a.ID, registration.Input{FirstName: "Hanna", LastName: p.last, Email: p.email,
			MunicipalityID: &e.ahlen.ID, PrivacyConsent: true}, registration.Options{}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.regs.Register(ctx, b.ID, registration.Input{FirstName: "Hanna", LastName: "Fremd-Fischer", Email: "fischer@coesfeld.example",
		MunicipalityID: &e.coesfeld.ID, PrivacyConsent: true}, registration.Options{}); err != nil {
		t.Fatal(err)
	}
	const hostEmail, hostPassword = "gastgeber@koeln.example", "gastgeber-passwort"
	host, err := e.users.Create(ctx, account.NewUser{Email: hostEmail, Password: hostPassword, Role: account.Host})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.users.SetHost(ctx, host.ID, a.ID, true, audit.System); err != nil {
		t.Fatal(err)
	}
	c := e.client()
	if r := secLogin(e, c, hostEmail, hostPassword); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/host" {
		t.Fatalf("host login: %d → %q", r.StatusCode, r.Header.Get("Location"))
	}
	home := e.get(c, "/host")
	if home.StatusCode != http.StatusOK {
		t.Fatalf("/host: %d", home.StatusCode)
	}
	mustContain(t, home.Body, fmt.Sprintf(`href="/host/events/%d"`, a.ID))
	if strings.Contains(home.Body, fmt.Sprintf(`/host/events/%d"`, b.ID)) {
		t.Error("/host lists a meeting the host is not assigned to")
	}

	list := e.get(c, fmt.Sprintf("/host/events/%d", a.ID))
	if list.StatusCode != http.StatusOK {
		t.Fatalf("host event page: %d", list.StatusCode)
	}
	mustContain(t, list.Body, "Bestätigt-Berger", "1 bestätigte Teilnehmende")
	// A person waiting appears only on the waiting list, without address.
	participants, waiting, _ := strings.Cut(list.Body, `id="h-waiting"`)
	if strings.Contains(participants, "Wartend-Weber") {
		t.Error("the host sees a person on the waiting list among the participants")
	}
	mustContain(t, pageText(waiting), "1 Wartend-Weber, Hanna Stadt Ahlen")
	if strings.Contains(list.Body, "weber@ahlen.example") {
		t.Error("the host sees the address of a person on the waiting list")
	}
	for _, path := range []string{fmt.Sprintf("/host/events/%d", b.ID), fmt.Sprintf("/host/events/%d/participants.pdf", b.ID)} {
		if r := e.get(c, path); r.StatusCode != http.StatusForbidden {
			t.Errorf("%s of another meeting: %d, want 403", path, r.StatusCode)
		}
	}

	pdf := e.get(c, fmt.Sprintf("/host/events/%d/participants.pdf", a.ID))
	if pdf.StatusCode != http.StatusOK || !strings.HasPrefix(pdf.Body, "%PDF-") || pdf.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("participants.pdf: %d %q", pdf.StatusCode, pdf.Header.Get("Content-Type"))
	}
	entries, err := audit.NewStore(e.db.Gorm).List(ctx, audit.Filter{EventID: a.ID})
	if err != nil {
		t.Fatal(err)
	}
	exported := false
	for _, en := range entries {
		if en.Action == audit.Export && en.Actor == hostEmail && en.ActorUserID != nil && *en.ActorUserID == host.ID {
			exported = true
		}
	}
	if !exported {
		t.Error("the host's export is not in the audit log")
	}
	mustContain(t, e.get(e.loggedIn(), fmt.Sprintf("/admin/audit?event=%d", a.ID)).Body, "Export", hostEmail, "Teilnehmerliste (PDF)")
}

func TestSecurityRegistrationIsLimitedPerAddress(t *testing.T) {
	e := newEnv(t, func(c *config.Config) { c.RegisterLimit = 1000 })
	ev := e.event(100, 0, 1)
	body := map[string]any{"first_name": "Jürgen", "last_name": "Weiß", "email": "j.weiss@ahlen.example", "municipality_id": e.ahlen.ID, "privacy_consent": true}
	var last response
	for i := 0; i < 12; i++ {
		last = e.api(http.MethodPost, fmt.Sprintf("/api/v1/events/%d/registrations", ev.ID), "", body)
		if last.StatusCode == http.StatusTooManyRequests {
			break
		}
	}
	if last.StatusCode != http.StatusTooManyRequests || last.Header.Get("Retry-After") == "" {
		t.Fatalf("repeated registrations for one address: %d", last.StatusCode)
	}
	body["email"] = "andere@ahlen.example"
	if r := e.api(http.MethodPost, fmt.Sprintf("/api/v1/events/%d/registrations", ev.ID), "", body); r.StatusCode != http.StatusCreated {
		t.Fatalf("another address: %d %s", r.StatusCode, r.Body)
	}
}

// secBrowserReads returns a Location as a browser resolves it: tab, CR
// and LF dropped, backslashes taken for slashes.
func secBrowserReads(loc string) string {
	loc = strings.NewReplacer("\t", "", "\r", "", "\n", "").Replace(loc)
	return strings.ReplaceAll(loc, `\`, "/")
}

func TestSecurityLoginNextStaysOnSite(t *testing.T) {
	e := newEnv(t, func(c *config.Config) { c.LoginLimit = 0 })
	evil := []string{
		"/\t/evil.example/", "/\r/evil.example/", "/\n/evil.example/", "\t//evil.example/", "/\r\n/evil.example/",
		"//evil.example/", "///evil.example/", "/\\evil.example/", "\\\\evil.example/", "/\\/evil.example/", "\\/evil.example/",
		"/a/../\\evil.example/", "/\t\\evil.example/", " //evil.example/", "https://evil.example/", "https:evil.example",
		"HTTPS://evil.example/", "//evil.example@treffen.example/", "javascript:alert(1)", "JaVaScRiPt:alert(1)",
		"\tjavascript:alert(1)", "/\x00/evil.example/", "/\x1b//evil.example/", "/\x7f/evil.example/", "evil.example",
	}
	// Raw in the query string, as a link would carry them.
	raw := []string{"/%09/evil.example/", "/%0d/evil.example/", "/%0a/evil.example/", "/%5cevil.example/", "%2f%2fevil.example/", "/%2F%2Fevil.example/"}
	for _, next := range evil {
		r := e.get(e.client(), "/login?next="+url.QueryEscape(next))
		if strings.Contains(r.Body, "evil.example") {
			t.Errorf("GET /login?next=%q keeps the target in the form", next)
		}
	}
	for _, q := range raw {
		r := e.get(e.client(), "/login?next="+q)
		if m := regexp.MustCompile(`name="next" value="([^"]*)"`).FindStringSubmatch(r.Body); m == nil {
			t.Fatalf("GET /login?next=%s: no next field", q)
		} else if v := secBrowserReads(m[1]); strings.HasPrefix(v, "//") {
			t.Errorf("GET /login?next=%s keeps %q", q, m[1])
		}
	}
	for _, next := range append(evil, "/%2F/evil.example/", "/%5C/evil.example/") {
		r := e.postForm(e.client(), "/login", url.Values{"email": {organiserEmail}, "password": {organiserPassword}, "next": {next}})
		loc := r.Header.Get("Location")
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("login with next=%q: %d", next, r.StatusCode)
		}
		seen := secBrowserReads(loc)
		u, err := url.Parse(seen)
		if err != nil || u.Scheme != "" || u.Host != "" || !strings.HasPrefix(seen, "/") || strings.HasPrefix(seen, "//") {
			t.Errorf("login with next=%q → Location %q, which a browser reads as %q", next, loc, seen)
		}
	}
	// Local targets still work, with their query.
	for _, next := range []string{"/admin/events", "/admin/mails?status=failed", "/events/3/register"} {
		r := e.postForm(e.client(), "/login", url.Values{"email": {organiserEmail}, "password": {organiserPassword}, "next": {next}})
		if loc := r.Header.Get("Location"); loc != next {
			t.Errorf("login with next=%q → %q", next, loc)
		}
	}
}

// Addresses longer than RFC 5321 allows are refused with a German
// message wherever an address enters, and the form keeps what was typed.
func TestSecurityAddressLengthLimits(t *testing.T) {
	e := newEnv(t, func(c *config.Config) { c.LoginLimit, c.RegisterLimit = 0, 0 })
	ctx := context.Background()
	ev := e.event(20, 0, 1)
	longLocal := strings.Repeat("a", 65) + "@ahlen.example"
	huge := strings.Repeat("x", 5000) + "@ahlen.example"
	const localMsg, lengthMsg = "Der Teil vor dem @ ist zu lang", "Diese E-Mail-Adresse ist zu lang"
	for addr, msg := range map[string]string{longLocal: localMsg, huge: lengthMsg} {
		t.Run(fmt.Sprintf("%d characters", len(addr)), func(t *testing.T) {
			form := e.postForm(e.client(), fmt.Sprintf("/events/%d/register", ev.ID), url.Values{"first_name": {"Jürgen"}, "last_name": {"Weiß"},
				"email": {addr}, "municipality_id": {fmt.Sprint(e.ahlen.ID)}, "function": {"Jugendamt Ahlen"}, "privacy_consent": {"1"}})
			if form.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("registration form: %d", form.StatusCode)
			}
			mustContain(t, form.Body, msg, `value="Jürgen"`, `value="Jugendamt Ahlen"`)

			api := e.api(http.MethodPost, fmt.Sprintf("/api/v1/events/%d/registrations", ev.ID), "",
				map[string]any{"first_name": "Jürgen", "last_name": "Weiß", "email": addr, "municipality_id": e.ahlen.ID, "privacy_consent": true})
			var body struct {
				Error struct {
					Code   string            `json:"code"`
					Fields map[string]string `json:"fields"`
				} `json:"error"`
			}
			if err := json.Unmarshal([]byte(api.Body), &body); err != nil || api.StatusCode != http.StatusUnprocessableEntity ||
				!strings.HasPrefix(body.Error.Fields["email"], msg) {
				t.Errorf("API: %d %s", api.StatusCode, api.Body)
			}

			_, err := e.users.Create(ctx, account.NewUser{Email: addr, Password: "ein langes Passwort", Role: account.Organiser})
			if pe, ok := problem.As(err); !ok || !strings.HasPrefix(pe.Fields["email"], msg) {
				t.Errorf("account: %v", err)
			}
			invite := e.postForm(e.loggedIn(), "/admin/users", url.Values{"email": {addr}, "name": {"Kora Koordination"},
				"role": {string(account.Coordinator)}, "municipality_id": {fmt.Sprint(e.ahlen.ID)}})
			if invite.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(invite.Body, msg) {
				t.Errorf("invitation: %d", invite.StatusCode)
			}

			coord := fmt.Sprintf("k%d@ahlen.example", len(addr))
			if _, err := e.users.Create(ctx, account.NewUser{Email: coord, Password: "kommunale-koordination", Role: account.Coordinator, MunicipalityID: &e.ahlen.ID}); err != nil {
				t.Fatal(err)
			}
			c := e.client()
			secLogin(e, c, coord, "kommunale-koordination")
			portal := e.postForm(c, fmt.Sprintf("/portal/events/%d/registrations", ev.ID), url.Values{"first_name.0": {"Jürgen"},
				"last_name.0": {"Weiß"}, "email.0": {addr}, "function.0": {"Jugendamt"}, "consent": {"1"}})
			if portal.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(portal.Body, msg) || !strings.Contains(portal.Body, `value="Weiß"`) {
				t.Errorf("portal: %d", portal.StatusCode)
			}

			for _, path := range []string{"/manage", "/password/forgot"} {
				r := e.postForm(e.client(), path, url.Values{"email": {addr}})
				if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, msg) {
					t.Errorf("%s: %d", path, r.StatusCode)
				}
			}
		})
	}
	regs, err := e.regs.List(ctx, ev.ID, registration.Filter{})
	if err != nil || len(regs) != 0 {
		t.Errorf("registrations after refused addresses: %d, %v", len(regs), err)
	}
}
