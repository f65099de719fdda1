package cli_test

import (
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// TestServe_OperationsFlags checks --metrics and the flag errors of
// --tls-cert/--tls-key.
func TestServe_OperationsFlags(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	dsn := "sqlite:" + filepath.Join(dir, "s.db")
	usage := []struct {
		name string
		args []string
		want string
	}{
		{"cert_without_key", []string{"--tls-cert", "c.pem"}, "go together"},
		{"key_without_cert", []string{"--tls-key", "k.pem"}, "go together"},
	}
	for _, tt := range usage {
		r := runCLI(t, "", append([]string{"--db", dsn, "--addr", "127.0.0.1:0", "serve"}, tt.args...)...)
		if r.code != 2 || !strings.Contains(r.stderr, tt.want) {
			t.Errorf("%s: exit %d, stderr %q; want 2 and %q", tt.name, r.code, r.stderr, tt.want)
		}
	}
	r := runCLI(t, "", "--db", dsn, "--addr", "127.0.0.1:0", "serve",
		"--tls-cert", filepath.Join(dir, "none.pem"), "--tls-key", filepath.Join(dir, "none.key"))
	if r.code != 1 || !strings.Contains(r.stderr, "TLS certificate") {
		t.Errorf("missing TLS files: exit %d, stderr %q; want 1 and a TLS error", r.code, r.stderr)
	}

	s := startServe(t, dsn, "--metrics", "--trust-proxy")
	resp, err := http.Get(s.url + "metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "smartinventory_sales_recorded_total") {
		t.Errorf("GET /metrics: %d %.200s", resp.StatusCode, body)
	}
	if got := resp.Header.Get("Content-Security-Policy"); !strings.Contains(got, "frame-ancestors 'none'") {
		t.Errorf("CSP of /metrics = %q", got)
	}
}
