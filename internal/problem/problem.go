// Package problem defines the coded errors that domain packages return and
// the web layer maps to HTTP statuses and German messages.
package problem

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Code classifies an error for the caller.
type Code string

// Codes understood by the web layer.
const (
	Invalid          Code = "invalid"            // input failed validation (422)
	BadRequest       Code = "bad_request"        // malformed request (400)
	NotFound         Code = "not_found"          // 404
	MethodNotAllowed Code = "method_not_allowed" // 405
	Conflict         Code = "conflict"           // duplicate or state conflict (409)
	Duplicate        Code = "duplicate"          // like an existing record: send again with confirmation (409)
	Unauthorized     Code = "unauthorized"       // 401
	Forbidden        Code = "forbidden"          // 403
	Closed           Code = "closed"             // registration not open (409)
	NoWaitlist       Code = "no_waitlist"        // meeting full and without a waiting list (409)
	WaitlistFull     Code = "waitlist_full"      // meeting full and its waiting list too (409)
	TooMany          Code = "rate_limited"       // 429
	TooLarge         Code = "too_large"          // upload over the size limit (413)
	UnsupportedType  Code = "unsupported_type"   // upload of a type not accepted (415)
	Gone             Code = "gone"               // no longer offered (410)
	Unavailable      Code = "unavailable"        // database down (503)
	Internal         Code = "internal"           // 500
)

// Error is a domain error with a German message for people and optional
// per-field messages for forms and the JSON API.
type Error struct {
	Code    Code
	Message string
	Fields  map[string]string
	Err     error // underlying cause, not shown to users
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an error with the code and message.
func New(code Code, message string) *Error { return &Error{Code: code, Message: message} }

// Errorf is New with formatting.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// CodeOf returns the code of the first *Error in err's chain, or Internal.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// As returns the *Error in err's chain, if any.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Is reports whether err carries code.
func Is(err error, code Code) bool { return CodeOf(err) == code }

// Validation collects per-field messages.
type Validation struct{ fields map[string]string }

// Add records a message for field unless one is already there.
func (v *Validation) Add(field, message string) {
	if v.fields == nil {
		v.fields = map[string]string{}
	}
	if _, ok := v.fields[field]; !ok {
		v.fields[field] = message
	}
}

// Text copies a given text field to dst, trimmed and with Windows line
// ends as "\n", and records a message when it is longer than limit
// characters; a nil src leaves dst as it is.
func (v *Validation) Text(src *string, dst *string, field string, limit int) {
	if src == nil {
		return
	}
	*dst = strings.TrimSpace(strings.ReplaceAll(*src, "\r\n", "\n"))
	if utf8.RuneCountInString(*dst) > limit {
		v.Add(field, fmt.Sprintf("Höchstens %d Zeichen.", limit))
	}
}

// Has reports whether field has a message.
func (v *Validation) Has(field string) bool { _, ok := v.fields[field]; return ok }

// Err returns nil without messages, else an Invalid *Error.
func (v *Validation) Err() error {
	if len(v.fields) == 0 {
		return nil
	}
	return &Error{Code: Invalid, Message: "Bitte prüfen Sie die markierten Angaben.", Fields: v.fields}
}
