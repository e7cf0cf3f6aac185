// Package emailaddress checks the e-mail addresses people type in, with
// one rule and one set of German messages for every way an address
// enters: forms, the coordinator portal, the JSON API, imports and
// accounts.
package emailaddress

import (
	"net/mail"
	"strings"
	"unicode/utf8"
)

// RFC 5321 limits: a mail server may refuse anything longer, and an
// unbounded field is an easy way to fill the database.
const (
	MaxLocalPart = 64  // octets before the @
	MaxLength    = 254 // octets of the whole address (a 256-octet path less the angle brackets)
)

// Normalize trims and lower-cases an address, so one person is one
// address whatever the spelling.
func Normalize(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Messages of Problem.
const (
	MsgMissing  = "Bitte geben Sie eine E-Mail-Adresse an."
	MsgInvalid  = "Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@kommune.de."
	MsgTooLong  = "Diese E-Mail-Adresse ist zu lang: höchstens 254 Zeichen sind erlaubt."
	MsgLocalLen = "Der Teil vor dem @ ist zu lang: höchstens 64 Zeichen sind erlaubt."
)

// Problem returns what is wrong with a normalized address in German, or
// "" when it is a plain deliverable address: no display name, a domain
// with a dot, and within the lengths of RFC 5321.
func Problem(addr string) string {
	if addr == "" {
		return MsgMissing
	}
	// Lengths first: the parser would accept a 5,000-octet local part.
	if len(addr) > MaxLength {
		return MsgTooLong
	}
	at := strings.LastIndex(addr, "@")
	if at < 0 || !utf8.ValidString(addr) {
		return MsgInvalid
	}
	if at > MaxLocalPart {
		return MsgLocalLen
	}
	a, err := mail.ParseAddress(addr)
	if err != nil || a.Name != "" || a.Address != addr || !strings.Contains(addr[at:], ".") {
		return MsgInvalid
	}
	return ""
}

// Valid reports whether Problem finds nothing.
func Valid(addr string) bool { return Problem(addr) == "" }
