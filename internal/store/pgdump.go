package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"strings"
)

// PgCommand is a pg_dump or pg_restore call: the program, its arguments
// and the environment it needs. The password travels in PGPASSWORD, not
// on the command line where other users of the machine could read it.
type PgCommand struct {
	Program string
	Args    []string
	Env     []string // PGPASSWORD=… when the URL has one
}

// String is the command as an operator would type it, password hidden.
func (c PgCommand) String() string {
	var b strings.Builder
	for _, e := range c.Env {
		name, _, _ := strings.Cut(e, "=")
		b.WriteString(name + "=*** ")
	}
	b.WriteString(c.Program)
	for _, a := range c.Args {
		b.WriteString(" " + shellQuote(a))
	}
	return b.String()
}

func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=@,", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// splitPassword removes the password from a postgres:// URL.
func splitPassword(databaseURL string) (string, string, error) {
	u, err := url.Parse(databaseURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", "", fmt.Errorf("database URL %q is no postgres:// URL", redact(databaseURL))
	}
	pass := ""
	if u.User != nil {
		pass, _ = u.User.Password()
		u.User = url.User(u.User.Username())
	}
	return u.String(), pass, nil
}

func pgCommand(program, databaseURL string, args ...string) (PgCommand, error) {
	plain, pass, err := splitPassword(databaseURL)
	if err != nil {
		return PgCommand{}, err
	}
	c := PgCommand{Program: program, Args: append(args, "--dbname="+plain)}
	if pass != "" {
		c.Env = []string{"PGPASSWORD=" + pass}
	}
	return c, nil
}

// PgDumpCommand is the dump of databaseURL in pg_dump's custom format
// (compressed, restorable table by table with pg_restore).
func PgDumpCommand(databaseURL, file string) (PgCommand, error) {
	return pgCommand("pg_dump", databaseURL, "--format=custom", "--no-owner", "--no-privileges", "--file="+file)
}

// PgRestoreCommand restores a custom-format dump into databaseURL,
// dropping the objects it contains first, in one transaction: it
// succeeds as a whole or changes nothing.
func PgRestoreCommand(databaseURL, file string) (PgCommand, error) {
	c, err := pgCommand("pg_restore", databaseURL, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error")
	c.Args = append(c.Args, file)
	return c, err
}

// ErrNoPgTool says that pg_dump or pg_restore is not installed.
var ErrNoPgTool = errors.New("not found in PATH")

// Run executes the command; its error carries the tool's own message.
func (c PgCommand) Run(ctx context.Context) error {
	path, err := exec.LookPath(c.Program)
	if err != nil {
		return fmt.Errorf("%s: %w", c.Program, ErrNoPgTool)
	}
	cmd := exec.CommandContext(ctx, path, c.Args...)
	cmd.Env = append(os.Environ(), c.Env...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if _, pass, _ := strings.Cut(strings.Join(c.Env, ""), "="); pass != "" {
			msg = strings.ReplaceAll(msg, pass, "***")
		}
		return fmt.Errorf("%s: %w: %s", c.Program, err, msg)
	}
	return nil
}
