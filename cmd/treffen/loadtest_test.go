package main

import (
	"context"
	"io"
	"strings"
	"testing"
)

func TestLoadtestRefusesARemoteTarget(t *testing.T) {
	getenv := func(string) string { return "" }
	err := run(context.Background(), []string{"loadtest", "--url", "http://192.0.2.10:8080", "--email", "orga@isa.example"}, getenv, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "not a loopback address") {
		t.Fatalf("loadtest against a remote address: %v", err)
	}
	err = run(context.Background(), []string{"loadtest", "--url", "http://127.0.0.1:1"}, getenv, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "needs an organiser") {
		t.Fatalf("loadtest without credentials: %v", err)
	}
}
