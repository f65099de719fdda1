package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

func TestForecastEvaluate(t *testing.T) {
	var out, errb bytes.Buffer
	code := Main(context.Background(), []string{"forecast", "evaluate", "--input", "../forecast/testdata/nn5_sample.csv",
		"--methods", "auto,snaive", "--output", "json"}, strings.NewReader(""), &out, &errb)
	if code != ExitOK {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	var rep struct {
		Series   int     `json:"series"`
		Excluded int     `json:"excluded"`
		Seconds  float64 `json:"seconds"`
		Methods  []struct {
			Method     string  `json:"method"`
			RMSSE      float64 `json:"rmsse"`
			MASE       float64 `json:"mase"`
			MASES      float64 `json:"mase_seasonal"`
			SMAPE      float64 `json:"smape"`
			Bias       float64 `json:"bias"`
			Coverage80 float64 `json:"coverage80"`
			Coverage95 float64 `json:"coverage95"`
		} `json:"methods"`
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	if rep.Series != 8 || len(rep.Methods) != 2 || rep.Methods[0].Method != "auto" {
		t.Fatalf("report %+v", rep)
	}
	if m := rep.Methods[0]; m.RMSSE <= 0 || m.RMSSE >= rep.Methods[1].RMSSE || m.Coverage95 <= 0 || m.Coverage95 > 1 {
		t.Errorf("auto %+v vs snaive %+v", m, rep.Methods[1])
	}
	if errb.Len() != 0 {
		t.Errorf("stderr not empty without a terminal: %q", errb.String())
	}

	out.Reset()
	code = Main(context.Background(), []string{"forecast", "evaluate", "--input", "../forecast/testdata/carparts_sample.csv"},
		strings.NewReader(""), &out, &errb)
	if code != ExitOK || !strings.Contains(out.String(), "RMSSE") || !strings.Contains(out.String(), "auto") {
		t.Fatalf("table: exit %d: %s %s", code, out.String(), errb.String())
	}
}

func TestForecastEvaluateUsage(t *testing.T) {
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"no-input", []string{"forecast", "evaluate"}, ExitUsage},
		{"bad-method", []string{"forecast", "evaluate", "--input", "x.csv", "--methods", "garch"}, ExitUsage},
		{"bad-freq", []string{"forecast", "evaluate", "--input", "x.csv", "--freq", "hourly"}, ExitUsage},
		{"bad-output", []string{"forecast", "evaluate", "--input", "x.csv", "-o", "xml"}, ExitUsage},
		{"missing-file", []string{"forecast", "evaluate", "--input", "does-not-exist.csv"}, ExitError},
		{"parent-help", []string{"forecast"}, ExitOK},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := Main(context.Background(), tc.args, strings.NewReader(""), &out, &errb); code != tc.code {
				t.Errorf("exit %d, want %d: %s", code, tc.code, errb.String())
			}
		})
	}
}

func TestForecastProductAndAll(t *testing.T) {
	dsn := "sqlite:" + t.TempDir() + "/f.db"
	run := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := Main(context.Background(), append([]string{"--db", dsn}, args...), strings.NewReader(""), &out, &errb)
		return code, out.String(), errb.String()
	}
	if code, _, errs := run("populate", "--products", "5", "--days", "120", "--end-date", "2026-06-30"); code != ExitOK {
		t.Fatalf("populate: exit %d: %s", code, errs)
	}
	code, out, errs := run("forecast", "--all")
	if code != ExitOK || !strings.Contains(out, "forecast 5 products (0 failed)") {
		t.Fatalf("forecast --all: exit %d: %q %s", code, out, errs)
	}
	code, out, errs = run("forecast", "SKU-000001", "--horizon", "5", "-o", "json")
	if code != ExitOK {
		t.Fatalf("forecast SKU: exit %d: %s", code, errs)
	}
	var f struct {
		Model  string `json:"model"`
		Points []struct {
			Date string  `json:"date"`
			P50  float64 `json:"p50"`
			P95  float64 `json:"p95"`
		} `json:"points"`
	}
	if err := json.Unmarshal([]byte(out), &f); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if f.Model == "" || len(f.Points) != 5 || f.Points[0].P95 < f.Points[0].P50 {
		t.Fatalf("forecast = %+v", f)
	}
	code, out, _ = run("forecast", "SKU-000001", "--model", "ses", "--horizon", "3", "-o", "csv")
	if code != ExitOK || strings.Count(out, "\n") != 4 || !strings.HasPrefix(out, "date,point,p50") {
		t.Fatalf("csv: exit %d: %q", code, out)
	}
	tests := []struct {
		args []string
		code int
	}{
		{[]string{"forecast", "NOPE"}, ExitNotFound},
		{[]string{"forecast", "SKU-000001", "--model", "magic"}, ExitUsage},
		{[]string{"forecast", "SKU-000001", "--horizon", "0"}, ExitUsage},
		{[]string{"forecast", "SKU-000001", "--all"}, ExitUsage},
	}
	for _, tt := range tests {
		if code, _, errs := run(tt.args...); code != tt.code {
			t.Errorf("%v: exit %d (%s), want %d", tt.args, code, errs, tt.code)
		}
	}
}
