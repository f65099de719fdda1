package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"smartinventory/db"
)

// webSecret is a row of web_secrets (see migration 20261127000010).
type webSecret struct {
	bun.BaseModel `bun:"table:web_secrets"`

	Name      string    `bun:"name,pk"`
	Value     string    `bun:"value,notnull"`
	CreatedAt time.Time `bun:"created_at,notnull"`
}

// loadSecret returns the secret called name, creating a random one on
// first use. Replicas starting together agree: the insert does nothing
// when another replica won, and everyone reads the stored value.
func loadSecret(ctx context.Context, bdb bun.IDB, name string, now time.Time) ([]byte, error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, fmt.Errorf("secret randomness: %w", err)
	}
	row := &webSecret{Name: name, Value: base64.RawURLEncoding.EncodeToString(raw), CreatedAt: now.UTC()}
	if _, err := db.Upsert(bdb.NewInsert().Model(row), bdb, "name").Exec(ctx); err != nil {
		return nil, fmt.Errorf("store %s secret: %w", name, err)
	}
	stored := new(webSecret)
	if err := bdb.NewSelect().Model(stored).Where("name = ?", name).Scan(ctx); err != nil {
		return nil, fmt.Errorf("load %s secret: %w", name, err)
	}
	secret, err := base64.RawURLEncoding.DecodeString(stored.Value)
	if err != nil {
		return nil, fmt.Errorf("decode %s secret: %w", name, err)
	}
	return secret, nil
}

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
