package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"golang.org/x/crypto/bcrypt"

	"smartinventory/db"
	"smartinventory/db/namekey"
)

// Users manages accounts, passwords and API tokens. Admins manage users;
// everyone manages their own tokens.
type Users struct {
	*base
	cache authCache
}

// UserInput creates or changes a user.
type UserInput struct {
	Username    *string  `json:"username"`
	DisplayName *string  `json:"display_name"`
	Role        *db.Role `json:"role"`
	Password    *string  `json:"password"`
	Active      *bool    `json:"active"`
	Version     *int64   `json:"version"`
}

var usernameRE = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9._@-]{0,63}$`)

// MaxUsernameLength is the longest username (in bytes) usernameRE accepts.
const MaxUsernameLength = 64

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 8

func validatePassword(v *validation, pw string) {
	if len(pw) < MinPasswordLength {
		v.add("password", "must be at least %d characters", MinPasswordLength)
	}
	if len(pw) > 72 {
		v.add("password", "must be at most 72 bytes")
	}
}

// errUsernameTaken is a user insert the unique username indexes refused.
var errUsernameTaken = errors.New("username taken")

// CreateUser adds a user (admin only). Usernames are unique ignoring case
// (and width and invisible characters: see db/namekey); a taken one is a
// conflict naming the user who has it.
func (u *Users) CreateUser(ctx context.Context, a Actor, in UserInput) (*db.User, error) {
	if err := a.require(db.RoleAdmin, "manage users"); err != nil {
		return nil, err
	}
	v := &validation{}
	user := &db.User{Active: true, Version: 1}
	if name := cleanName(in.Username); name == nil || !usernameRE.MatchString(*name) {
		v.add("username", "is required: 1-64 letters, digits, '.', '_', '@' or '-'")
	} else {
		user.Username = *name
	}
	if in.Role == nil || !in.Role.Valid() {
		v.add("role", "must be admin, manager, clerk or viewer")
	} else {
		user.Role = *in.Role
	}
	if in.Password == nil {
		v.add("password", "is required")
	} else {
		validatePassword(v, *in.Password)
	}
	if in.DisplayName != nil {
		user.DisplayName = strings.TrimSpace(*in.DisplayName)
		v.text("display_name", user.DisplayName, MaxDisplayNameLength)
	}
	if in.Active != nil {
		user.Active = *in.Active
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	hash, err := bcrypt.GenerateFromPassword([]byte(*in.Password), bcrypt.DefaultCost)
	if err != nil {
		return nil, fmt.Errorf("hash password: %w", err)
	}
	user.PasswordHash = string(hash)
	user.CreatedAt, user.UpdatedAt = u.now(), u.now()
	err = u.inAuthTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(user).Exec(ctx); err != nil {
			if db.IsUniqueViolation(err) {
				return errUsernameTaken
			}
			return fmt.Errorf("insert user: %w", err)
		}
		return u.audit.record(ctx, tx, a, "create", "user", user.ID, nil, user)
	})
	if errors.Is(err, errUsernameTaken) {
		// After the failed transaction: name the user who has the name.
		msg, field := fmt.Sprintf("User %q already exists.", user.Username), "already exists"
		var have db.User
		if u.db.NewSelect().Model(&have).Column("id", "username").Where("username_norm = ?", namekey.Key(user.Username)).Scan(ctx) == nil &&
			have.Username != user.Username {
			msg = fmt.Sprintf("Username %q is taken by user %q (usernames differing only in case are one name).", user.Username, have.Username)
			field = fmt.Sprintf("is taken by %q", have.Username)
		}
		return nil, &Error{Code: ECONFLICT, Message: msg, Fields: []FieldError{{Field: "username", Message: field}}}
	}
	if err != nil {
		return nil, err
	}
	return user, nil
}

// UpdateUser changes a user's display name, role, active flag or password
// (admin only). A new password, another role or deactivation end the
// user's web sessions at once (see Sessions); deactivated users' tokens
// stop working too.
func (u *Users) UpdateUser(ctx context.Context, a Actor, id int64, in UserInput) (*db.User, error) {
	if err := a.require(db.RoleAdmin, "manage users"); err != nil {
		return nil, err
	}
	v := &validation{}
	if in.Username != nil {
		v.add("username", "cannot be changed")
	}
	if in.Role != nil && !in.Role.Valid() {
		v.add("role", "must be admin, manager, clerk or viewer")
	}
	if in.Password != nil {
		validatePassword(v, *in.Password)
	}
	v.textPtr("display_name", trimmed(in.DisplayName), MaxDisplayNameLength)
	if err := v.err(); err != nil {
		return nil, err
	}
	var out *db.User
	err := u.inAuthTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		cur := new(db.User)
		if err := findByID(ctx, tx, cur, id, "User"); err != nil {
			return err
		}
		if in.Version != nil && *in.Version != cur.Version {
			return staleConflict("user", cur.Version, cur)
		}
		next := *cur
		setIf(&next.DisplayName, trimmed(in.DisplayName))
		setIf(&next.Role, in.Role)
		setIf(&next.Active, in.Active)
		if in.Password != nil {
			hash, err := bcrypt.GenerateFromPassword([]byte(*in.Password), bcrypt.DefaultCost)
			if err != nil {
				return fmt.Errorf("hash password: %w", err)
			}
			next.PasswordHash = string(hash)
		}
		if cur.ID == a.UserID && (!next.Active || next.Role != db.RoleAdmin) {
			return Errorf(ECONFLICT, "You cannot demote or deactivate yourself.")
		}
		next.Version, next.UpdatedAt = cur.Version+1, u.now()
		res, err := tx.NewUpdate().Model(&next).Column("display_name", "role", "active", "password_hash", "version", "updated_at").
			Where("id = ? AND version = ?", id, cur.Version).Exec(ctx)
		if err != nil {
			return fmt.Errorf("update user %d: %w", id, err)
		}
		if err := oneRow(res, "user", cur); err != nil {
			return err
		}
		if endsSessions(cur, &next) {
			if err := endUserSessions(ctx, tx, id); err != nil {
				return err
			}
		}
		out = &next
		return u.audit.record(ctx, tx, a, "update", "user", id, cur, &next)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ListUsers returns every user (admin only).
func (u *Users) ListUsers(ctx context.Context, a Actor) ([]db.User, error) {
	if err := a.require(db.RoleAdmin, "manage users"); err != nil {
		return nil, err
	}
	users := []db.User{}
	if err := u.db.NewSelect().Model(&users).OrderExpr("username").Scan(ctx); err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return users, nil
}

// UserByName returns a user by username (admin, or the user themself).
func (u *Users) UserByName(ctx context.Context, a Actor, username string) (*db.User, error) {
	if namekey.Key(a.Username) != namekey.Key(username) {
		if err := a.require(db.RoleAdmin, "manage users"); err != nil {
			return nil, err
		}
	}
	user := new(db.User)
	if err := u.db.NewSelect().Model(user).Where("username_norm = ?", namekey.Key(username)).Scan(ctx); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, Errorf(ENOTFOUND, "User %q not found.", username)
		}
		return nil, fmt.Errorf("load user %q: %w", username, err)
	}
	return user, nil
}

// CountUsers returns how many users exist (admin only: the command line
// asks, as System, whether a new database needs its first user).
func (u *Users) CountUsers(ctx context.Context, a Actor) (int, error) {
	if err := a.require(db.RoleAdmin, "manage users"); err != nil {
		return 0, err
	}
	return u.countUsers(ctx)
}

func (u *Users) countUsers(ctx context.Context) (int, error) {
	n, err := u.db.NewSelect().Model((*db.User)(nil)).Count(ctx)
	if err != nil {
		return 0, fmt.Errorf("count users: %w", err)
	}
	return int(n), nil
}

// dummyHash makes failed logins for unknown users cost as much as real ones.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("no such user, constant time"), bcrypt.DefaultCost)

// Authenticate checks a username and password and returns the active user.
// Any failure is EUNAUTHORIZED with the same message.
func (u *Users) Authenticate(ctx context.Context, username, password string) (*db.User, error) {
	bad := Errorf(EUNAUTHORIZED, "Wrong username or password.")
	if len(username) > MaxUsernameLength {
		return nil, bad // no such user can exist: not worth a query
	}
	user := new(db.User)
	err := u.db.NewSelect().Model(user).Where("username_norm = ?", namekey.Key(username)).Scan(ctx)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("load user %q: %w", username, err)
	}
	if err != nil {
		_ = bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
		return nil, bad
	}
	if bcrypt.CompareHashAndPassword([]byte(user.PasswordHash), []byte(password)) != nil || !user.Active {
		return nil, bad
	}
	now := u.now()
	id := user.ID
	u.touch(touchKey{id: id}, now, func(ctx context.Context, tx bun.Tx) error {
		_, err := tx.NewUpdate().Model((*db.User)(nil)).Set("last_login_at = ?", now).Where("id = ?", id).Exec(ctx)
		return err
	})
	user.LastLoginAt = &now
	return user, nil
}

// ActiveUser returns the user with id if it exists and is active; else
// EUNAUTHORIZED. Sessions call it on every request.
func (u *Users) ActiveUser(ctx context.Context, id int64) (*db.User, error) {
	if user, ok := u.cache.user(u.changes, id); ok {
		return user, nil
	}
	gen := u.changes.AuthGeneration()
	user := new(db.User)
	err := u.db.NewSelect().Model(user).Where("id = ? AND active = ?", id, true).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, Errorf(EUNAUTHORIZED, "Your account is not active.")
	}
	if err != nil {
		return nil, fmt.Errorf("load user %d: %w", id, err)
	}
	u.cache.putUser(u.changes, gen, user)
	return user, nil
}

// TokenPrefix starts every API token, so leaked tokens are easy to spot.
const TokenPrefix = "si_"

// NewToken is a created token: Secret is shown once and never stored.
type NewToken struct {
	Token  db.APIToken `json:"token"`
	Secret string      `json:"secret"`
}

// MaxTokenDays is the longest lifetime of an API token, in days.
const MaxTokenDays = 3650

// DefaultTokenName names a token created without a name.
const DefaultTokenName = "token"

// MaxTokenNameLength is the longest token name, in characters.
const MaxTokenNameLength = 200

// TokenTTL converts a lifetime in days (0 = never expires) to the ttl
// CreateToken takes; a lifetime too long for a time.Duration saturates, so
// CreateToken still refuses it by name.
func TokenTTL(days int64) time.Duration {
	const maxDays = int64(math.MaxInt64 / int64(24*time.Hour))
	switch {
	case days > maxDays:
		return math.MaxInt64
	case days < -maxDays:
		return math.MinInt64
	}
	return time.Duration(days) * 24 * time.Hour
}

// CreateToken issues an API token for username. Users may create their own
// tokens; admins anyone's. ttl 0 means no expiry; at most MaxTokenDays.
// A blank name becomes DefaultTokenName. A token may not outlive the token
// the actor authenticated with (Actor.TokenExpiresAt): an actor whose token
// expires at E may only create tokens expiring at E or earlier. Field
// errors name "name" and "ttl_days".
func (u *Users) CreateToken(ctx context.Context, a Actor, username, name string, ttl time.Duration) (*NewToken, error) {
	user, err := u.UserByName(ctx, a, username)
	if err != nil {
		return nil, err
	}
	now := u.now()
	v := &validation{}
	name = strings.TrimSpace(name)
	if name == "" {
		name = DefaultTokenName
	}
	v.text("name", name, MaxTokenNameLength)
	var expires *time.Time
	switch {
	case ttl < 0 || ttl > time.Duration(MaxTokenDays)*24*time.Hour:
		v.add("ttl_days", "must be between 0 (never expires) and %d days", MaxTokenDays)
	case ttl > 0:
		exp := now.Add(ttl)
		expires = &exp
	}
	if limit := a.TokenExpiresAt; limit != nil && v.err() == nil && (expires == nil || expires.After(*limit)) {
		v.add("ttl_days", "must be at most %d days: a token may not outlive the token that creates it, which expires at %s",
			int64(limit.Sub(now)/(24*time.Hour)), limit.UTC().Format(time.RFC3339))
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, fmt.Errorf("token randomness: %w", err)
	}
	secret := TokenPrefix + base64.RawURLEncoding.EncodeToString(raw)
	t := db.APIToken{UserID: user.ID, Name: name, Prefix: secret[:len(TokenPrefix)+6], TokenHash: hashToken(secret), CreatedAt: now,
		ExpiresAt: expires}
	err = u.inAuthTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewInsert().Model(&t).Exec(ctx); err != nil {
			return fmt.Errorf("insert token: %w", err)
		}
		return u.audit.record(ctx, tx, a, "create", "api_token", t.ID, nil, &t)
	})
	if err != nil {
		return nil, err
	}
	return &NewToken{Token: t, Secret: secret}, nil
}

func hashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// RevokeToken revokes a token by id: its owner or an admin may.
func (u *Users) RevokeToken(ctx context.Context, a Actor, id int64) error {
	return u.inAuthTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		t := new(db.APIToken)
		if err := findByID(ctx, tx, t, id, "Token"); err != nil {
			return err
		}
		if t.UserID != a.UserID {
			if err := a.require(db.RoleAdmin, "revoke other users' tokens"); err != nil {
				return err
			}
		}
		if t.RevokedAt != nil {
			return nil
		}
		before := *t
		now := u.now()
		t.RevokedAt = &now
		if _, err := tx.NewUpdate().Model(t).Column("revoked_at").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("revoke token %d: %w", id, err)
		}
		return u.audit.record(ctx, tx, a, "revoke", "api_token", id, &before, t)
	})
}

// ListTokens lists username's tokens (own, or any for admins).
func (u *Users) ListTokens(ctx context.Context, a Actor, username string) ([]db.APIToken, error) {
	user, err := u.UserByName(ctx, a, username)
	if err != nil {
		return nil, err
	}
	tokens := []db.APIToken{}
	if err := u.db.NewSelect().Model(&tokens).Where("user_id = ?", user.ID).OrderExpr("id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("list tokens: %w", err)
	}
	return tokens, nil
}

// AuthenticateToken returns the active user and the token for a bearer
// secret; it records the token's last use best-effort (touch.go). Unknown, revoked or expired tokens and inactive users are
// EUNAUTHORIZED.
func (u *Users) AuthenticateToken(ctx context.Context, secret string) (*db.User, *db.APIToken, error) {
	bad := Errorf(EUNAUTHORIZED, "Invalid or revoked API token.")
	if !strings.HasPrefix(secret, TokenPrefix) || len(secret) > 200 {
		return nil, nil, bad
	}
	hash := hashToken(secret)
	gen := u.changes.AuthGeneration() // before anything is read
	t, cached := u.cache.token(u.changes, hash)
	if !cached {
		t = new(db.APIToken)
		err := u.db.NewSelect().Model(t).Where("token_hash = ?", hash).Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil, bad
		}
		if err != nil {
			return nil, nil, fmt.Errorf("load token: %w", err)
		}
		u.cache.putToken(u.changes, gen, hash, t)
	}
	now := u.now()
	if t.RevokedAt != nil || (t.ExpiresAt != nil && !now.Before(*t.ExpiresAt)) {
		return nil, nil, bad
	}
	user, err := u.ActiveUser(ctx, t.UserID)
	if err != nil {
		return nil, nil, err
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) > touchInterval {
		// Best-effort, in the background: a busy writer never fails or
		// delays the request (see touch.go).
		id := t.ID
		u.touch(touchKey{token: true, id: id}, now, func(ctx context.Context, tx bun.Tx) error {
			_, err := tx.NewUpdate().Model((*db.APIToken)(nil)).Set("last_used_at = ?", now).Where("id = ?", id).Exec(ctx)
			return err
		})
	}
	return user, t, nil
}

// EnsureAdmin creates the user "admin" with a random password when the
// database has no users, and returns the password ("" if users existed).
func (u *Users) EnsureAdmin(ctx context.Context) (string, error) {
	n, err := u.countUsers(ctx)
	if err != nil || n > 0 {
		return "", err
	}
	pw, err := RandomPassword()
	if err != nil {
		return "", err
	}
	role := db.RoleAdmin
	_, err = u.CreateUser(ctx, System, UserInput{Username: Ptr("admin"), DisplayName: Ptr("Administrator"), Role: &role, Password: &pw})
	if err != nil {
		return "", fmt.Errorf("create admin: %w", err)
	}
	return pw, nil
}

// RandomPassword returns a random 16-character password.
func RandomPassword() (string, error) {
	raw := make([]byte, 12)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("password randomness: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(raw), nil
}

// inAuthTx is inTx for changes to users and tokens: it also moves the
// auth generation, which drops this process's cached credentials.
func (u *Users) inAuthTx(ctx context.Context, fn func(ctx context.Context, tx bun.Tx) error) error {
	err := u.inTx(ctx, fn)
	if err == nil {
		u.changes.BumpAuth()
	}
	return err
}

// SetLanguage sets the actor's own preferred language of the web UI: es,
// en, or "" for the browser's (else the shop's).
func (u *Users) SetLanguage(ctx context.Context, a Actor, lang string) (*db.User, error) {
	id := a.userID()
	if id == nil {
		return nil, &Error{Code: EFORBIDDEN, Message: "Only a signed-in user has a language preference."}
	}
	lang = strings.ToLower(strings.TrimSpace(lang))
	if lang != "" && !slices.Contains(Languages, lang) {
		return nil, &Error{Code: EINVALID, Message: "Validation failed.",
			Fields: []FieldError{{Field: "language", Message: fmt.Sprintf("unknown language %q: use es, en or nothing", lang)}}}
	}
	var out *db.User
	err := u.inAuthTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		cur := new(db.User)
		if err := findByID(ctx, tx, cur, *id, "User"); err != nil {
			return err
		}
		if cur.Language == lang {
			out = cur
			return nil
		}
		next := *cur
		next.Language, next.UpdatedAt = lang, u.now()
		if _, err := tx.NewUpdate().Model(&next).Column("language", "updated_at").WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("set the language of user %d: %w", *id, err)
		}
		out = &next
		return u.audit.record(ctx, tx, a, "update", "user", *id,
			map[string]string{"language": cur.Language}, map[string]string{"language": lang})
	})
	return out, err
}
