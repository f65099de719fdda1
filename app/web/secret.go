package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"log/slog"
	"sync"

	"smartinventory/app"
)

// keys are the purpose-specific keys derived from the secret, so a value
// signed for one purpose never verifies for another.
type keys struct {
	session []byte
	csrf    []byte
	flash   []byte
}

func deriveKeys(secret []byte) keys {
	derive := func(purpose string) []byte {
		m := hmac.New(sha256.New, secret)
		m.Write([]byte("smartinventory/web/" + purpose))
		return m.Sum(nil)
	}
	return keys{session: derive("session"), csrf: derive("csrf"), flash: derive("flash")}
}

// keyring holds the keys derived from the secret stored in the database
// (app.Sessions.Secret) and reloads them when the auth generation moves
// while the change watcher runs, so that `smartinventory secret rotate`
// reaches every running replica without a restart. A secret given in
// Config is fixed.
type keyring struct {
	a      *app.App
	logger *slog.Logger
	fixed  bool

	mu   sync.Mutex
	keys keys
	gen  uint64
}

// get returns the current keys. The secret is read outside the lock, so
// a slow database holds up only the requests that need the new keys; a
// failed reload keeps the old keys (and tries again on the next request).
func (k *keyring) get(ctx context.Context) keys {
	k.mu.Lock()
	cur, loaded := k.keys, k.gen
	k.mu.Unlock()
	if k.fixed || !k.a.Changes.Live() {
		return cur
	}
	gen := k.a.Changes.AuthGeneration()
	if gen == loaded {
		return cur
	}
	secret, err := k.a.Sessions.Secret(ctx, app.SessionSecretName)
	if err != nil {
		k.logger.WarnContext(ctx, "reload the session secret", "err", err)
		return cur
	}
	next := deriveKeys(secret)
	k.mu.Lock()
	if gen > k.gen { // generations only grow: keep the newest load
		k.keys, k.gen = next, gen
	}
	k.mu.Unlock()
	return next
}

// sign returns the base64url HMAC-SHA256 of msg under key.
func sign(key []byte, msg string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// verify reports whether sig is the signature of msg under key, in
// constant time.
func verify(key []byte, msg, sig string) bool {
	return hmac.Equal([]byte(sign(key, msg)), []byte(sig))
}
