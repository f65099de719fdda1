package server_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"smartinventory/app/server"
)

// writeCert writes a self-signed certificate for 127.0.0.1 and its key to
// dir and returns their paths and the certificate.
func writeCert(t *testing.T, dir string) (certFile, keyFile string, cert *x509.Certificate) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err = x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile, cert
}

// startRun runs RunTLS with files on 127.0.0.1:0 and returns the address.
// The server stops when the test ends.
func startRun(t *testing.T, h http.Handler, files server.TLSFiles) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan net.Addr, 1)
	errc := make(chan error, 1)
	go func() { errc <- server.RunTLS(ctx, "127.0.0.1:0", h, nil, files, func(a net.Addr) { addrc <- a }) }()
	t.Cleanup(func() {
		cancel()
		if err := <-errc; err != nil {
			t.Errorf("RunTLS: %v", err)
		}
	})
	select {
	case a := <-addrc:
		return a.String()
	case err := <-errc:
		errc <- err
		t.Fatalf("RunTLS: %v", err)
	case <-time.After(5 * time.Second):
		t.Fatal("ready not called")
	}
	return ""
}

func TestRunTLS(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, cert := writeCert(t, dir)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.TLS == nil {
			http.Error(w, "plain", http.StatusBadRequest)
			return
		}
		_, _ = io.WriteString(w, r.Proto)
	})
	addr := startRun(t, h, server.TLSFiles{Cert: certFile, Key: keyFile})

	pool := x509.NewCertPool()
	pool.AddCert(cert)
	client := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: pool}, ForceAttemptHTTP2: true}}
	resp, err := client.Get("https://" + addr + "/")
	if err != nil {
		t.Fatalf("GET over TLS: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK || string(body) != "HTTP/2.0" {
		t.Errorf("GET over TLS: %d %q, want 200 HTTP/2.0", resp.StatusCode, body)
	}
	if _, err := (&http.Client{Timeout: 5 * time.Second}).Get("http://" + addr + "/"); err == nil {
		// Go's TLS server answers plain HTTP with a 400 response.
		t.Log("plain HTTP got an answer (Go's TLS server sends 400)")
	}
}

func TestRunTLS_BadFiles(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, _ := writeCert(t, dir)
	otherCert, _, _ := writeCert(t, t.TempDir())
	tests := []struct {
		name  string
		files server.TLSFiles
		want  string
	}{
		{"cert_without_key", server.TLSFiles{Cert: certFile}, "both"},
		{"key_without_cert", server.TLSFiles{Key: keyFile}, "both"},
		{"missing_file", server.TLSFiles{Cert: filepath.Join(dir, "nope.pem"), Key: keyFile}, "load TLS certificate"},
		{"key_of_another_cert", server.TLSFiles{Cert: otherCert, Key: keyFile}, "load TLS certificate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			called := false
			err := server.RunTLS(context.Background(), "127.0.0.1:0", http.NotFoundHandler(), nil, tt.files,
				func(net.Addr) { called = true })
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("RunTLS = %v, want an error with %q", err, tt.want)
			}
			if called {
				t.Error("ready was called despite the bad files")
			}
		})
	}
}

// TestRun_HeaderLimit checks the 1 MB limit on request headers.
func TestRun_HeaderLimit(t *testing.T) {
	addr := startRun(t, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "ok")
	}), server.TLSFiles{})
	tests := []struct {
		name   string
		header int
		want   int
	}{
		{"small", 1 << 10, http.StatusOK},
		{"over_1MB", 2 << 20, http.StatusRequestHeaderFieldsTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodGet, "http://"+addr+"/", nil)
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("X-Padding", strings.Repeat("a", tt.header))
			resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
			if err != nil {
				t.Fatalf("GET: %v", err)
			}
			_ = resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("status = %d, want %d", resp.StatusCode, tt.want)
			}
		})
	}
}
