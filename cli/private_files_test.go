package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"smartinventory/app"
	"smartinventory/db"
)

// mode returns the permission bits of path.
func mode(t *testing.T, path string) os.FileMode {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Mode().Perm()
}

// Issue 12, Medium 8: the database, its WAL and SHM files, backups and
// restored files are readable by their owner only, whatever the umask;
// an existing world-readable database is tightened when opened.
func TestDatabaseFilesArePrivate(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	dir := t.TempDir()
	path := filepath.Join(dir, "shop.db")
	dsn := "sqlite:" + path
	a := openApp(t, dsn)
	if _, err := a.Catalog.CreateProduct(context.Background(), app.System, app.ProductInput{SKU: app.Ptr("P1"), Name: app.Ptr("P1")}); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{path, path + "-wal", path + "-shm"} {
		if m := mode(t, name); m != 0o600 {
			t.Errorf("%s has mode %v, want 0600", filepath.Base(name), m)
		}
	}

	backup := filepath.Join(dir, "backup.db")
	mustRun(t, "", "--db", dsn, "backup", backup)
	if m := mode(t, backup); m != 0o600 {
		t.Errorf("backup has mode %v, want 0600", m)
	}
	restored := filepath.Join(dir, "restored.db")
	mustRun(t, "", "--db", "sqlite:"+restored, "restore", backup)
	if m := mode(t, restored); m != 0o600 {
		t.Errorf("restored database has mode %v, want 0600", m)
	}

	legacy := filepath.Join(dir, "legacy.db")
	if err := os.WriteFile(legacy, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	bdb, err := db.Open(context.Background(), "sqlite:"+legacy)
	if err != nil {
		t.Fatal(err)
	}
	_ = bdb.Close()
	if m := mode(t, legacy); m != 0o600 {
		t.Errorf("an existing 0644 database has mode %v after opening, want 0600", m)
	}
}
