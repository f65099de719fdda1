package httpapi

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/db"
)

// userRoutes registers /me, /users and /tokens.
//
// Tokens live at /tokens rather than under /users/{username} so that user
// paths keep one kind of parameter (the numeric id): GET /tokens lists the
// caller's tokens (admins may pass ?username=), POST /tokens creates one
// (for the caller, or for "username" when an admin asks), DELETE
// /tokens/{id} revokes one.
func (h *handler) userRoutes(g *router) {
	g.GET("/me", h.handleMe)
	g.GET("/users", h.handleUserList)
	g.gated().POST("/users", h.handleUserCreate)
	g.gated().PATCH("/users/:id", h.handleUserPatch)
	g.GET("/tokens", h.handleTokenList)
	g.POST("/tokens", h.handleTokenCreate)
	g.DELETE("/tokens/:id", h.handleTokenRevoke)
}

// TokenRequest is the body of POST /tokens.
type TokenRequest struct {
	Username string `json:"username"` // default: the caller
	Name     string `json:"name"`     // default: "token"
	TTLDays  int    `json:"ttl_days"` // 0 = never expires; at most 3650, and not beyond the calling token's expiry
}

// RevokeResult answers DELETE /tokens/{id}.
type RevokeResult struct {
	Revoked bool `json:"revoked"`
}

// handleMe serves GET /me: the caller's own user.
func (h *handler) handleMe(c echo.Context) error {
	a := actor(c)
	u, err := h.app.Users.UserByName(c.Request().Context(), a, a.Username)
	if err != nil {
		return err
	}
	return renderOK(c, u)
}

// handleUserList serves GET /users (admins).
func (h *handler) handleUserList(c echo.Context) error {
	users, err := h.app.Users.ListUsers(c.Request().Context(), actor(c))
	if err != nil {
		return err
	}
	return renderOK(c, Page[db.User]{Items: users, Total: len(users), Limit: len(users)})
}

// handleUserCreate serves POST /users (admins).
func (h *handler) handleUserCreate(c echo.Context) error {
	var in app.UserInput
	if err := h.decode(c, &in); err != nil {
		return err
	}
	u, err := h.app.Users.CreateUser(c.Request().Context(), actor(c), in)
	if err != nil {
		return err
	}
	return render(c, http.StatusCreated, u)
}

// handleUserPatch serves PATCH /users/{id} (admins).
func (h *handler) handleUserPatch(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var in app.UserInput
	if err := h.decode(c, &in); err != nil {
		return err
	}
	u, err := h.app.Users.UpdateUser(c.Request().Context(), actor(c), id, in)
	if err != nil {
		return err
	}
	return renderOK(c, u)
}

// handleTokenList serves GET /tokens[?username=].
func (h *handler) handleTokenList(c echo.Context) error {
	a := actor(c)
	username := newQuery(c).str("username")
	if username == "" {
		username = a.Username
	}
	tokens, err := h.app.Users.ListTokens(c.Request().Context(), a, username)
	if err != nil {
		return err
	}
	return renderOK(c, Page[db.APIToken]{Items: tokens, Total: len(tokens), Limit: len(tokens)})
}

// handleTokenCreate serves POST /tokens: 201 with the token and its secret,
// which is shown only this once.
func (h *handler) handleTokenCreate(c echo.Context) error {
	var in TokenRequest
	if err := h.decodeOptional(c, &in); err != nil {
		return err
	}
	a := actor(c)
	if in.Username == "" {
		in.Username = a.Username
	}
	tok, err := h.app.Users.CreateToken(c.Request().Context(), a, in.Username, in.Name, app.TokenTTL(int64(in.TTLDays)))
	if err != nil {
		return err
	}
	return render(c, http.StatusCreated, tok)
}

// handleTokenRevoke serves DELETE /tokens/{id}.
func (h *handler) handleTokenRevoke(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := h.app.Users.RevokeToken(c.Request().Context(), actor(c), id); err != nil {
		return err
	}
	return renderOK(c, RevokeResult{Revoked: true})
}
