package app

import (
	"sync"

	"smartinventory/db"
)

// authCacheMax bounds each map of the auth cache; it starts over when full.
const authCacheMax = 10_000

// authCache keeps the users and API tokens that requests authenticate
// with, for as long as the auth generation (Changes.AuthGeneration) stays
// the same: any change to users or tokens, in this process or, while the
// change watcher runs, in any other, empties it. Without a live watcher it
// is not used. Entries are copied in and out, so callers may modify what
// they get.
type authCache struct {
	mu     sync.Mutex
	gen    uint64
	users  map[int64]db.User
	tokens map[string]db.APIToken // by token hash
}

// valid empties the cache when the generation moved and reports whether
// it may be used at all. The caller holds mu.
func (c *authCache) valid(ch *Changes) bool {
	if !ch.Live() {
		return false
	}
	if gen := ch.AuthGeneration(); gen != c.gen || c.users == nil {
		c.gen = gen
		c.users = map[int64]db.User{}
		c.tokens = map[string]db.APIToken{}
	}
	return true
}

func (c *authCache) user(ch *Changes, id int64) (*db.User, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.valid(ch) {
		return nil, false
	}
	u, ok := c.users[id]
	return &u, ok
}

// putUser caches u if the generation is still gen (read before u was loaded).
func (c *authCache) putUser(ch *Changes, gen uint64, u *db.User) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.valid(ch) || c.gen != gen {
		return
	}
	if len(c.users) >= authCacheMax {
		c.users = map[int64]db.User{}
	}
	c.users[u.ID] = *u
}

func (c *authCache) token(ch *Changes, hash string) (*db.APIToken, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.valid(ch) {
		return nil, false
	}
	t, ok := c.tokens[hash]
	return &t, ok
}

// putToken caches t if the generation is still gen (read before t was loaded).
func (c *authCache) putToken(ch *Changes, gen uint64, hash string, t *db.APIToken) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.valid(ch) || c.gen != gen {
		return
	}
	if len(c.tokens) >= authCacheMax {
		c.tokens = map[string]db.APIToken{}
	}
	c.tokens[hash] = *t
}
