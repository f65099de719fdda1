package db

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// RedactDSN hides the password of a URL-shaped DSN, for messages.
func RedactDSN(dsn string) string { return redactDSN(dsn) }

// redactDSN hides the password of a URL-shaped DSN for messages.
func redactDSN(dsn string) string {
	if !strings.Contains(dsn, "://") {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		if i := strings.LastIndex(dsn, "@"); i >= 0 {
			if j := strings.Index(dsn, "://"); j >= 0 && j < i {
				return dsn[:j+3] + "…" + dsn[i:]
			}
		}
		return dsn
	}
	return u.Redacted()
}

// sqliteOpenError names the file (and a missing directory) of an SQLite
// database that could not be opened.
func sqliteOpenError(source string, err error) error {
	path, _, _ := strings.Cut(strings.TrimPrefix(source, "file:"), "?")
	dir := filepath.Dir(path)
	if _, serr := os.Stat(dir); errors.Is(serr, fs.ErrNotExist) {
		return fmt.Errorf("sqlite database %s: directory %s does not exist", path, dir)
	}
	return fmt.Errorf("open sqlite database %s: %w", path, err)
}
