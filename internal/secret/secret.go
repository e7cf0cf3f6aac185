// Package secret makes the tokens behind secret links and cookies
// (sessions, API tokens, device tokens, account, manage and unsubscribe
// links) and the hashes they are stored as: whoever reads the database or
// a backup learns no token that works.
package secret

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
)

// Token returns 256 random bits as URL-safe text: too many to guess or
// enumerate.
func Token() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("random token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// Hash is the SHA-256 of a token in hex, as it is stored and looked up.
func Hash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
