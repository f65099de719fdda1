package main

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestStartBenchServer_ExitsBeforeReady checks that a server that dies at
// startup is reported with the end of its log.
func TestStartBenchServer_ExitsBeforeReady(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := startBenchServer(ctx, "", 1, "mysql://nowhere", t.TempDir(), nil)
	if err == nil {
		s.halt()
		t.Fatal("a server on mysql://nowhere started")
	}
	for _, want := range []string{"bench: server 1 (pid ", "exited before it was ready (exit status 2)", "the end of its log", "error: --db"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}
