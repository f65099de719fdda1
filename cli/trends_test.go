package cli_test

import (
	"encoding/json"
	"strings"
	"testing"
)

type trendsOut struct {
	Items []struct {
		SKU       string  `json:"sku"`
		ABC       string  `json:"abc"`
		Mover     string  `json:"mover"`
		Dead      bool    `json:"dead"`
		Revenue30 float64 `json:"revenue_30d"`
		Units30   float64 `json:"units_30d"`
	} `json:"items"`
	Total int `json:"total"`
}

func TestTrends(t *testing.T) {
	dsn := demoDSN(t)
	get := func(args ...string) trendsOut {
		t.Helper()
		r := mustRun(t, "", append([]string{"--db", dsn, "trends", "-o", "json"}, args...)...)
		var out trendsOut
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
			t.Fatalf("%v: %s", err, r.stdout)
		}
		return out
	}
	all := get()
	if all.Total < 15 || len(all.Items) != all.Total {
		t.Fatalf("%d items (total %d), want every active product of 20", len(all.Items), all.Total)
	}
	for i := 1; i < len(all.Items); i++ {
		if all.Items[i-1].Revenue30 < all.Items[i].Revenue30 {
			t.Errorf("default sort is not revenue_30d descending at %d", i)
		}
	}
	a := get("--abc", "a")
	if a.Total == 0 {
		t.Error("--abc a: no A products")
	}
	for _, it := range a.Items {
		if it.ABC != "A" {
			t.Errorf("--abc A gave %s with %s", it.SKU, it.ABC)
		}
	}
	limited := get("--sort", "-units_30d", "--limit", "3")
	if len(limited.Items) != 3 || limited.Total != all.Total {
		t.Errorf("--limit 3: %d items of %d, want 3 of %d", len(limited.Items), limited.Total, all.Total)
	}
	for i := 1; i < len(limited.Items); i++ {
		if limited.Items[i-1].Units30 > limited.Items[i].Units30 {
			t.Errorf("-units_30d is not ascending at %d", i)
		}
	}
	for _, it := range get("--mover", "fast").Items {
		if it.Mover != "fast" {
			t.Errorf("--mover fast gave %s: %s", it.SKU, it.Mover)
		}
	}
	for _, it := range get("--dead").Items {
		if !it.Dead {
			t.Errorf("--dead gave %s", it.SKU)
		}
	}
	r := mustRun(t, "", "--db", dsn, "trends", "--limit", "2")
	if !strings.HasPrefix(r.stdout, "SKU ") || strings.Count(r.stdout, "\n") != 3 || !strings.Contains(r.stdout, "ABC") {
		t.Errorf("table:\n%s", r.stdout)
	}
	tests := []struct {
		args []string
		code int
	}{
		{[]string{"--abc", "D"}, 2},
		{[]string{"--mover", "quick"}, 2},
		{[]string{"--sort", "colour"}, 2},
		{[]string{"--limit", "0"}, 2},
		{[]string{"-o", "yaml"}, 2},
	}
	for _, tt := range tests {
		if r := runCLI(t, "", append([]string{"--db", dsn, "trends"}, tt.args...)...); r.code != tt.code {
			t.Errorf("%v: exit %d, want %d: %s", tt.args, r.code, tt.code, r.stderr)
		}
	}
}
