package app

import (
	"time"

	"smartinventory/db"
)

// Actor is who performs an operation and through which interface. Every
// service method takes one; role checks happen here, in the service layer.
type Actor struct {
	UserID   int64
	Username string
	Role     db.Role
	// Source says where the request came from: "web", "api:TOKEN-NAME", "cli".
	Source string
	// TokenExpiresAt is the expiry of the API token the actor signed in
	// with, if it has one: tokens the actor creates may not outlive it.
	TokenExpiresAt *time.Time
}

// System is the actor for local administration from the command line
// (whoever can open the database file is its administrator).
var System = Actor{Username: "system", Role: db.RoleAdmin, Source: "cli"}

// ActorFor returns the actor for a logged-in user.
func ActorFor(u *db.User, source string) Actor {
	return Actor{UserID: u.ID, Username: u.Username, Role: u.Role, Source: source}
}

// ActorForToken returns the actor for a user authenticated by an API token.
func ActorForToken(u *db.User, t *db.APIToken) Actor {
	a := ActorFor(u, "api:"+t.Name)
	a.TokenExpiresAt = t.ExpiresAt
	return a
}

// userID returns the actor's user id for foreign keys, nil for System.
func (a Actor) userID() *int64 {
	if a.UserID == 0 {
		return nil
	}
	id := a.UserID
	return &id
}

// MinWriteRole is the least role that changes the shop's data: every
// service method that writes requires it or more, except that anyone
// manages their own API tokens. The HTTP layers use MayWrite to refuse a
// viewer's write before reading its body.
const MinWriteRole = db.RoleClerk

// MayWrite returns EFORBIDDEN (EUNAUTHORIZED without a role) unless the
// actor's role is at least MinWriteRole.
func (a Actor) MayWrite() error { return a.require(MinWriteRole, "change the shop's data") }

// require returns EFORBIDDEN unless the actor's role is at least min.
func (a Actor) require(min db.Role, action string) error {
	if a.Role.Rank() < min.Rank() {
		if a.Role.Rank() == 0 {
			return Errorf(EUNAUTHORIZED, "Authentication required.")
		}
		return Errorf(EFORBIDDEN, "Your role (%s) may not %s; it needs %s or higher.", a.Role, action, min)
	}
	return nil
}
