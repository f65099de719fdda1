package httpapi

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
)

// actorKey is the echo.Context key holding the request's app.Actor.
const actorKey = "httpapi.actor"

// authenticate is the middleware that resolves the request's actor: first
// through Options.ActorFromRequest (a browser session), then through the
// Authorization: Bearer si_… token, whose actor has the source
// "api:TOKEN-NAME". Without either, the request ends with a 401 problem.
func (h *handler) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if h.opt.ActorFromRequest != nil {
			if a, ok := h.opt.ActorFromRequest(c.Request()); ok {
				c.Set(actorKey, a)
				return next(c)
			}
		}
		secret, ok := bearerToken(c.Request())
		if !ok {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="smartinventory"`)
			return app.Errorf(app.EUNAUTHORIZED, "Authentication required: send Authorization: Bearer <token>.")
		}
		user, tok, err := h.app.Users.AuthenticateToken(c.Request().Context(), secret)
		if err != nil {
			if app.ErrorCode(err) == app.EUNAUTHORIZED {
				c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="smartinventory", error="invalid_token"`)
			}
			return err
		}
		c.Set(actorKey, app.ActorForToken(user, tok))
		return next(c)
	}
}

// writeGate refuses an unsafe request of an actor below app.MinWriteRole
// (a viewer) before its body is read, so a viewer's 10 MB POST costs no
// parsing; the service's own role check stays the rule. Routes anyone may
// write (own tokens) skip the gate.
func writeGate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		switch c.Request().Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			return next(c)
		}
		if err := actor(c).MayWrite(); err != nil {
			return err
		}
		return next(c)
	}
}

// bearerToken returns the token of an "Authorization: Bearer …" header.
func bearerToken(r *http.Request) (string, bool) {
	v := r.Header.Get(echo.HeaderAuthorization)
	scheme, token, ok := strings.Cut(v, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// actor returns the actor the authenticate middleware stored. A request
// that somehow has none gets the zero Actor, whom every service refuses.
func actor(c echo.Context) app.Actor {
	a, _ := c.Get(actorKey).(app.Actor)
	return a
}
