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
		{"bad-method", []string{"forecast", "evaluate", "--input", "x.csv", "--methods", "arima"}, ExitUsage},
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
