package namekey_test

import (
	"testing"

	"smartinventory/db/namekey"
)

func TestKey(t *testing.T) {
	same := []string{"DUP-A", "dup-a", " Dup-A\t", "DUP\u200b-A", "\ufeffdup-a", "ＤＵＰ－Ａ", "dup\u00ad-a", "DUP-\u200dA"}
	for _, s := range same {
		if got := namekey.Key(s); got != "dup-a" {
			t.Errorf("Key(%q) = %q, want dup-a", s, got)
		}
	}
	if namekey.Key("STRASSE") != namekey.Key("straße") {
		t.Errorf("case folding: %q vs %q", namekey.Key("STRASSE"), namekey.Key("straße"))
	}
	if namekey.Key("A-1") == namekey.Key("A-2") {
		t.Error("different names share a key")
	}
	if got := namekey.Clean("  ＡＢ\u200bc "); got != "ABc" {
		t.Errorf("Clean = %q, want ABc", got)
	}
}

func FuzzKey(f *testing.F) {
	f.Add("DUP\u200b-A")
	f.Fuzz(func(t *testing.T, s string) {
		k := namekey.Key(s)
		if namekey.Key(k) != k {
			t.Fatalf("Key(Key(%q)) = %q, want %q: keys must be stable", s, namekey.Key(k), k)
		}
		if namekey.Key(namekey.Clean(s)) != k {
			t.Fatalf("Key(Clean(%q)) != Key(%q)", s, s)
		}
	})
}
