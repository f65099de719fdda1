package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/locale"
	"smartinventory/views"
)

// Cookie names.
const (
	sessionCookie = "si_session"
	flashCookie   = "si_flash"
)

// Context keys for the values the middleware stores on echo.Context.
const (
	ctxSession = "web.session"
	ctxUser    = "web.user"
	ctxEnded   = "web.session-ended" // the cookie named an ended session
)

// session is the request's session. Signed-in sessions live in the
// database (app.Sessions): the cookie holds their random token. Anonymous
// visitors get a signed cookie holding only a nonce (UserID 0), which
// binds the login form's CSRF token; it grants nothing, so it needs no
// server-side state.
type session struct {
	Nonce   string `json:"n"`
	UserID  int64  `json:"u,omitempty"`
	Expires int64  `json:"e"` // Unix seconds

	token string   // the signed-in session's token ("" when anonymous)
	user  *db.User // the signed-in user, read with the session
	ended bool     // the cookie named a session that has ended
}

func newNonce() string {
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		// crypto/rand does not fail on supported platforms; a time-based
		// nonce is still unique if it ever did.
		return base64.RawURLEncoding.EncodeToString([]byte(time.Now().String()))
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// encodeAnonymous returns the signed cookie value of an anonymous session:
// payload "." signature.
func (w *Web) encodeAnonymous(ctx context.Context, s session) string {
	raw, _ := json.Marshal(session{Nonce: s.Nonce, Expires: s.Expires})
	payload := base64.RawURLEncoding.EncodeToString(raw)
	return payload + "." + sign(w.keys.get(ctx).session, payload)
}

// decodeAnonymous verifies and parses an anonymous cookie value; expired
// or tampered values, and the signed-in cookies of old versions (which
// carried a user id and could not be revoked), are rejected.
func (w *Web) decodeAnonymous(ctx context.Context, v string) (session, bool) {
	payload, sig, ok := strings.Cut(v, ".")
	if !ok || len(v) > 512 || !verify(w.keys.get(ctx).session, payload, sig) {
		return session{}, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return session{}, false
	}
	var s session
	if err := json.Unmarshal(raw, &s); err != nil || s.Nonce == "" || s.UserID != 0 {
		return session{}, false
	}
	if w.cfg.Now().Unix() >= s.Expires {
		return session{}, false
	}
	return s, true
}

// readSession returns the request's valid session, if any: a signed-in
// one looked up in the database (with its user), or an anonymous one.
// A cookie naming a session that has ended gives ok false and ended true.
// Database errors are returned.
func (w *Web) readSession(r *http.Request) (s session, ok bool, err error) {
	ck, cerr := r.Cookie(sessionCookie)
	if cerr != nil {
		return session{}, false, nil
	}
	if app.IsSessionToken(ck.Value) {
		row, u, err := w.app.Sessions.Lookup(r.Context(), ck.Value)
		if app.ErrorCode(err) == app.EUNAUTHORIZED {
			return session{ended: true}, false, nil
		}
		if err != nil {
			return session{}, false, err
		}
		return session{Nonce: row.CSRFNonce, UserID: u.ID, Expires: row.ExpiresAt.Unix(), token: ck.Value, user: u}, true, nil
	}
	s, ok = w.decodeAnonymous(r.Context(), ck.Value)
	return s, ok, nil
}

// isTLS reports whether the client connected over HTTPS (directly, or via
// a trusted proxy that says so).
func (w *Web) isTLS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	return w.cfg.TrustProxy && strings.EqualFold(r.Header.Get(echo.HeaderXForwardedProto), "https")
}

// cookie returns a cookie with the attributes every cookie here has.
func (w *Web) cookie(c echo.Context, name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: w.isTLS(c.Request()),
	}
}

// startAnonymous issues a new anonymous session (a new nonce, hence a
// new CSRF token), sets the cookie and stores it on c.
func (w *Web) startAnonymous(c echo.Context) session {
	s := session{Nonce: newNonce(), Expires: w.cfg.Now().Add(w.cfg.SessionTTL).Unix()}
	c.SetCookie(w.cookie(c, sessionCookie, w.encodeAnonymous(c.Request().Context(), s), int(w.cfg.SessionTTL/time.Second)))
	c.Set(ctxSession, s)
	return s
}

// startSignedIn starts a server-side session of u (a new token and nonce:
// no session fixation), sets the cookie and stores it on c.
func (w *Web) startSignedIn(c echo.Context, u *db.User) error {
	st, err := w.app.Sessions.Start(c.Request().Context(), u.ID, w.cfg.SessionTTL)
	if err != nil {
		return fmt.Errorf("web: start session: %w", err)
	}
	s := session{Nonce: st.CSRFNonce, UserID: u.ID, Expires: st.ExpiresAt.Unix(), token: st.Token, user: u}
	c.SetCookie(w.cookie(c, sessionCookie, st.Token, int(w.cfg.SessionTTL/time.Second)))
	c.Set(ctxSession, s)
	return nil
}

// currentSession returns the session loadSession stored.
func currentSession(c echo.Context) session {
	s, _ := c.Get(ctxSession).(session)
	return s
}

// currentUser returns the signed-in user requireUser stored, or nil.
func currentUser(c echo.Context) *db.User {
	u, _ := c.Get(ctxUser).(*db.User)
	return u
}

// setFlash stores a one-time message for the next page, translated when
// it is a key of the catalog (see flashf for messages with arguments).
func (w *Web) setFlash(c echo.Context, kind, msg string) {
	if locale.Has(msg) {
		msg = w.t(c, msg)
	}
	w.storeFlash(c, kind, msg)
}

func (w *Web) storeFlash(c echo.Context, kind, msg string) {
	payload := base64.RawURLEncoding.EncodeToString([]byte(kind + "\n" + msg))
	c.SetCookie(w.cookie(c, flashCookie, payload+"."+sign(w.keys.get(c.Request().Context()).flash, payload), 120))
}

// takeFlash returns the pending flash message and clears it.
func (w *Web) takeFlash(c echo.Context) *views.Flash {
	ck, err := c.Cookie(flashCookie)
	if err != nil || ck.Value == "" {
		return nil
	}
	c.SetCookie(w.cookie(c, flashCookie, "", -1))
	payload, sig, ok := strings.Cut(ck.Value, ".")
	if !ok || !verify(w.keys.get(c.Request().Context()).flash, payload, sig) {
		return nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return nil
	}
	kind, msg, _ := strings.Cut(string(raw), "\n")
	return &views.Flash{Kind: kind, Message: msg}
}
