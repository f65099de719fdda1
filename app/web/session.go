package web

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"smartinventory/db"
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
)

// session is the content of the session cookie. Anonymous visitors get one
// too (UserID 0): its nonce binds the login form's CSRF token.
type session struct {
	Nonce   string `json:"n"`
	UserID  int64  `json:"u,omitempty"`
	Expires int64  `json:"e"` // Unix seconds
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

// encode returns the signed cookie value: payload "." signature.
func (w *Web) encodeSession(s session) string {
	raw, _ := json.Marshal(s)
	payload := base64.RawURLEncoding.EncodeToString(raw)
	return payload + "." + sign(w.keys.session, payload)
}

// decodeSession verifies and parses a cookie value; expired or tampered
// values are rejected.
func (w *Web) decodeSession(v string) (session, bool) {
	payload, sig, ok := strings.Cut(v, ".")
	if !ok || len(v) > 512 || !verify(w.keys.session, payload, sig) {
		return session{}, false
	}
	raw, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return session{}, false
	}
	var s session
	if err := json.Unmarshal(raw, &s); err != nil || s.Nonce == "" {
		return session{}, false
	}
	if w.cfg.Now().Unix() >= s.Expires {
		return session{}, false
	}
	return s, true
}

// readSession returns the request's valid session, if any.
func (w *Web) readSession(r *http.Request) (session, bool) {
	ck, err := r.Cookie(sessionCookie)
	if err != nil {
		return session{}, false
	}
	return w.decodeSession(ck.Value)
}

// isTLS reports whether the client connected over HTTPS (directly, or via
// a trusted proxy that says so).
func (w *Web) isTLS(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	return w.cfg.TrustProxy && strings.EqualFold(r.Header.Get(echo.HeaderXForwardedProto), "https")
}

// clientIP is the peer address, or the first X-Forwarded-For hop behind a
// trusted proxy.
func (w *Web) clientIP(r *http.Request) string {
	if w.cfg.TrustProxy {
		if xff := r.Header.Get(echo.HeaderXForwardedFor); xff != "" {
			ip, _, _ := strings.Cut(xff, ",")
			return strings.TrimSpace(ip)
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// cookie returns a cookie with the attributes every cookie here has.
func (w *Web) cookie(c echo.Context, name, value string, maxAge int) *http.Cookie {
	return &http.Cookie{
		Name: name, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: w.isTLS(c.Request()),
	}
}

// startSession issues a new session (a new nonce, hence a new CSRF token)
// for userID (0: anonymous), sets the cookie and stores it on c.
func (w *Web) startSession(c echo.Context, userID int64) session {
	s := session{Nonce: newNonce(), UserID: userID, Expires: w.cfg.Now().Add(w.cfg.SessionTTL).Unix()}
	w.setSession(c, s)
	return s
}

func (w *Web) setSession(c echo.Context, s session) {
	c.SetCookie(w.cookie(c, sessionCookie, w.encodeSession(s), int(w.cfg.SessionTTL/time.Second)))
	c.Set(ctxSession, s)
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

// setFlash stores a one-time message for the next page.
func (w *Web) setFlash(c echo.Context, kind, msg string) {
	payload := base64.RawURLEncoding.EncodeToString([]byte(kind + "\n" + msg))
	c.SetCookie(w.cookie(c, flashCookie, payload+"."+sign(w.keys.flash, payload), 120))
}

// takeFlash returns the pending flash message and clears it.
func (w *Web) takeFlash(c echo.Context) *views.Flash {
	ck, err := c.Cookie(flashCookie)
	if err != nil || ck.Value == "" {
		return nil
	}
	c.SetCookie(w.cookie(c, flashCookie, "", -1))
	payload, sig, ok := strings.Cut(ck.Value, ".")
	if !ok || !verify(w.keys.flash, payload, sig) {
		return nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return nil
	}
	kind, msg, _ := strings.Cut(string(raw), "\n")
	return &views.Flash{Kind: kind, Message: msg}
}
