package app

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"smartinventory/db"
)

// Sessions are the web UI's signed-in sessions, kept server-side (table
// web_sessions) so that they can be ended at once on every replica:
//
//   - signing out ends that session (End);
//   - a change of a user's password or role, and deactivation, end all of
//     that user's sessions in the transaction of the change (UpdateUser);
//   - rotating the signing secret ends everybody's (RotateSecret);
//   - a session also ends when it has not been used for its lifetime.
//
// Every request looks its session up in the database (Lookup), never in a
// cache, so no replica serves a session another one ended. The browser
// holds a random token; only its SHA-256 is stored, so a copy of the
// database or a backup yields no cookie that signs in.
type Sessions struct {
	*base
	users *Users
}

// MaxSessionsPerUser bounds the sessions one user keeps; starting another
// ends the oldest.
const MaxSessionsPerUser = 20

// sessionTokenPrefix starts every session token (and tells it apart from
// the signed anonymous cookie of the web UI).
const sessionTokenPrefix = "s."

// StartedSession is a new session; Token goes to the browser and is never
// stored.
type StartedSession struct {
	Token     string
	CSRFNonce string
	ExpiresAt time.Time
}

// IsSessionToken reports whether v looks like a session token (it may
// still be unknown or ended).
func IsSessionToken(v string) bool {
	return len(v) > len(sessionTokenPrefix) && len(v) <= 100 && v[:len(sessionTokenPrefix)] == sessionTokenPrefix
}

func randomToken(n int) (string, error) {
	raw := make([]byte, n)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("session randomness: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(raw), nil
}

// Start begins a session of userID lasting ttl from now (renewed while
// used). Expired sessions are swept, and the user's oldest beyond
// MaxSessionsPerUser ended.
func (s *Sessions) Start(ctx context.Context, userID int64, ttl time.Duration) (*StartedSession, error) {
	secret, err := randomToken(32)
	if err != nil {
		return nil, err
	}
	nonce, err := randomToken(18)
	if err != nil {
		return nil, err
	}
	now := s.now()
	token := sessionTokenPrefix + secret
	row := &db.Session{TokenHash: hashToken(token), UserID: userID, CSRFNonce: nonce, CreatedAt: now, ExpiresAt: now.Add(ttl)}
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewDelete().Model((*db.Session)(nil)).Where("expires_at <= ?", now).Exec(ctx); err != nil {
			return fmt.Errorf("sweep expired sessions: %w", err)
		}
		var oldest []time.Time
		if err := tx.NewSelect().Model((*db.Session)(nil)).Column("created_at").Where("user_id = ?", userID).
			OrderExpr("created_at DESC").Offset(MaxSessionsPerUser-1).Limit(1).Scan(ctx, &oldest); err != nil {
			return fmt.Errorf("count sessions: %w", err)
		}
		if len(oldest) > 0 {
			if _, err := tx.NewDelete().Model((*db.Session)(nil)).Where("user_id = ? AND created_at <= ?", userID, oldest[0]).Exec(ctx); err != nil {
				return fmt.Errorf("end old sessions: %w", err)
			}
		}
		if _, err := tx.NewInsert().Model(row).Exec(ctx); err != nil {
			return fmt.Errorf("insert session: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return &StartedSession{Token: token, CSRFNonce: nonce, ExpiresAt: row.ExpiresAt}, nil
}

// errNoSession is the answer for unknown, ended and expired sessions.
func errNoSession() error {
	return Errorf(EUNAUTHORIZED, "Your session has ended. Please sign in again.")
}

// sessionLookup is the query of Lookup, prepared once.
const sessionLookup = "SELECT user_id, csrf_nonce, created_at, expires_at FROM web_sessions WHERE token_hash = ? AND expires_at > ?"

// Lookup returns the session of token and its user. The session row is
// read from the database on every call (never cached), so an ended
// session is refused at once everywhere; the user comes from
// Users.ActiveUser, whose cache is safe here because everything that
// changes who the user may be (password, role, deactivation) also deletes
// their sessions in the same transaction. Unknown, ended or expired
// sessions and inactive users are EUNAUTHORIZED.
func (s *Sessions) Lookup(ctx context.Context, token string) (*db.Session, *db.User, error) {
	if !IsSessionToken(token) {
		return nil, nil, errNoSession()
	}
	row := &db.Session{TokenHash: hashToken(token)}
	rows, err := s.stmts.query(ctx, sessionLookup, row.TokenHash, s.stmts.time(s.now()))
	if err != nil {
		return nil, nil, fmt.Errorf("load session: %w", err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, nil, fmt.Errorf("load session: %w", err)
		}
		return nil, nil, errNoSession()
	}
	if err := s.db.ScanRow(ctx, rows, &row.UserID, &row.CSRFNonce, &row.CreatedAt, &row.ExpiresAt); err != nil {
		return nil, nil, fmt.Errorf("load session: %w", err)
	}
	if err := rows.Close(); err != nil {
		return nil, nil, fmt.Errorf("load session: %w", err)
	}
	user, err := s.users.ActiveUser(ctx, row.UserID)
	if err != nil {
		return nil, nil, err
	}
	return row, user, nil
}

// Renew extends the session of token to ttl from now, best-effort and in
// the background like the last-used bookkeeping (touch.go): it never
// delays or fails the request, and a renewal that could not be written is
// tried again by a later request. It returns the new expiry.
func (s *Sessions) Renew(token string, ttl time.Duration) time.Time {
	now := s.now()
	exp := now.Add(ttl)
	hash := hashToken(token)
	s.touch(touchKey{session: hash}, now, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewUpdate().Model((*db.Session)(nil)).Set("expires_at = ?", exp).
			Where("token_hash = ? AND expires_at > ?", hash, now).Exec(ctx)
		return err
	})
	return exp
}

// End ends the session of token (signing out). Ending an unknown session
// is not an error.
func (s *Sessions) End(ctx context.Context, token string) error {
	if !IsSessionToken(token) {
		return nil
	}
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewDelete().Model((*db.Session)(nil)).Where("token_hash = ?", hashToken(token)).Exec(ctx)
		return err
	})
	if err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return nil
}

// endUserSessions ends every session of userID inside tx.
func endUserSessions(ctx context.Context, tx bun.IDB, userID int64) error {
	if _, err := tx.NewDelete().Model((*db.Session)(nil)).Where("user_id = ?", userID).Exec(ctx); err != nil {
		return fmt.Errorf("end sessions of user %d: %w", userID, err)
	}
	return nil
}

// endsSessions is the rule of what ends a user's sessions: a new
// password, another role, or deactivation.
func endsSessions(before, after *db.User) bool {
	return before.PasswordHash != after.PasswordHash || before.Role != after.Role || (before.Active && !after.Active)
}

// Count returns how many sessions are open (not expired); admins only.
func (s *Sessions) Count(ctx context.Context, a Actor) (int, error) {
	if err := a.require(db.RoleAdmin, "count sessions"); err != nil {
		return 0, err
	}
	n, err := s.db.NewSelect().Model((*db.Session)(nil)).Where("expires_at > ?", s.now()).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("count sessions: %w", err)
	}
	return int(n), nil
}

// secretRow is a row of web_secrets (see migration 20261127000010).
type secretRow struct {
	bun.BaseModel `bun:"table:web_secrets"`

	Name      string    `bun:"name,pk"`
	Value     string    `bun:"value,notnull"`
	CreatedAt time.Time `bun:"created_at,notnull"`
}

// SessionSecretName is the web_secrets row that the web UI derives its
// signing keys from.
const SessionSecretName = "session"

// Secret returns the secret called name, creating a random one on first
// use. Replicas starting together agree: the insert does nothing when
// another replica won, and everyone reads the stored value.
func (s *Sessions) Secret(ctx context.Context, name string) ([]byte, error) {
	value, err := randomToken(32)
	if err != nil {
		return nil, err
	}
	row := &secretRow{Name: name, Value: value, CreatedAt: s.now()}
	stored := new(secretRow)
	if err := s.db.NewSelect().Model(stored).Where("name = ?", name).Scan(ctx); err != nil {
		if !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("load %s secret: %w", name, err)
		}
		err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
			_, err := db.Upsert(tx.NewInsert().Model(row), tx, "name").Exec(ctx)
			return err
		})
		if err != nil {
			return nil, fmt.Errorf("store %s secret: %w", name, err)
		}
		if err := s.db.NewSelect().Model(stored).Where("name = ?", name).Scan(ctx); err != nil {
			return nil, fmt.Errorf("load %s secret: %w", name, err)
		}
	}
	secret, err := base64.RawURLEncoding.DecodeString(stored.Value)
	if err != nil {
		return nil, fmt.Errorf("decode %s secret: %w", name, err)
	}
	return secret, nil
}

// RotateSecret replaces the session-signing secret with a new random one
// and ends every session, in one transaction (admin only). Running
// servers pick the new secret up as soon as they hear of the change.
// It returns how many sessions ended.
func (s *Sessions) RotateSecret(ctx context.Context, a Actor) (int, error) {
	if err := a.require(db.RoleAdmin, "rotate the session secret"); err != nil {
		return 0, err
	}
	value, err := randomToken(32)
	if err != nil {
		return 0, err
	}
	var ended int
	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		row := &secretRow{Name: SessionSecretName, Value: value, CreatedAt: s.now()}
		if _, err := db.Upsert(tx.NewInsert().Model(row), tx, "name", "value = EXCLUDED.value", "created_at = EXCLUDED.created_at").Exec(ctx); err != nil {
			return fmt.Errorf("store new secret: %w", err)
		}
		res, err := tx.NewDelete().Model((*db.Session)(nil)).Where("1 = 1").Exec(ctx)
		if err != nil {
			return fmt.Errorf("end sessions: %w", err)
		}
		n, _ := res.RowsAffected()
		ended = int(n)
		return s.audit.record(ctx, tx, a, "rotate", "session_secret", 0, nil, map[string]any{"sessions_ended": ended})
	})
	if err != nil {
		return 0, err
	}
	s.changes.BumpAuth()
	return ended, nil
}
