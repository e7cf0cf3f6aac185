package secret_test

import (
	"testing"

	"github.com/isa-nrw/treffen/internal/secret"
)

func TestTokenAndHash(t *testing.T) {
	a, err := secret.Token()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := secret.Token()
	if len(a) != 43 || a == b {
		t.Errorf("tokens %q and %q: want 43 characters, different", a, b)
	}
	if h := secret.Hash("abc"); h != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Errorf("Hash(abc) = %s", h)
	}
}
