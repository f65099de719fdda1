package forecast

import (
	"encoding/json"
	"math"
	"os"
	"testing"
)

// thetaCase is one reference case of testdata/theta/reference.json, made
// by testdata/theta/generate.py with statsmodels 0.13.5 (its conventions
// and where ours differ are described there).
type thetaCase struct {
	ID              string    `json:"id"`
	Series          []float64 `json:"series"`
	Period          int       `json:"period"`
	Seasonal        bool      `json:"seasonal"`
	Multiplicative  bool      `json:"multiplicative"`
	SeasonalIndices []float64 `json:"seasonal_indices"`
	B0              float64   `json:"b0"`
	Fixed           struct {
		Alpha        float64   `json:"alpha"`
		InitialLevel float64   `json:"initial_level"`
		Forecast     []float64 `json:"forecast"`
	} `json:"fixed"`
	Optimised struct {
		Alpha        float64   `json:"alpha"`
		InitialLevel float64   `json:"initial_level"`
		SESSSE       float64   `json:"ses_sse"`
		Forecast     []float64 `json:"forecast"`
	} `json:"optimised"`
}

func loadThetaCases(t *testing.T) []thetaCase {
	t.Helper()
	b, err := os.ReadFile("testdata/theta/reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Cases []thetaCase `json:"cases"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Cases) == 0 {
		t.Fatal("no theta cases")
	}
	return doc.Cases
}

// TestThetaReference_Fixed checks the method's pieces against statsmodels'
// ThetaModel: the seasonality decision, the decomposition indices, the
// slope, and, given statsmodels' SES (its alpha, started at the first
// observation), the forecast.
func TestThetaReference_Fixed(t *testing.T) {
	for _, c := range loadThetaCases(t) {
		t.Run(c.ID, func(t *testing.T) {
			idx, mul := seasonalIndices(c.Series, c.Period)
			if (idx != nil) != c.Seasonal || mul != c.Multiplicative {
				t.Fatalf("seasonal %v multiplicative %v, want %v %v", idx != nil, mul, c.Seasonal, c.Multiplicative)
			}
			for j, want := range c.SeasonalIndices {
				if !relClose(idx[j], want, 1e-9) {
					t.Errorf("seasonal index %d = %.12g, want %.12g", j, idx[j], want)
				}
			}
			f := newThetaFit(c.Series, idx, mul, ETSParams{Alpha: c.Fixed.Alpha, Level: c.Fixed.InitialLevel})
			if !relClose(f.slope, c.B0, 1e-9) {
				t.Errorf("slope %.12g, want %.12g", f.slope, c.B0)
			}
			fc := f.Predict(len(c.Fixed.Forecast))
			for h, want := range c.Fixed.Forecast {
				if !relClose(fc[h], want, 1e-8) {
					t.Fatalf("forecast[%d] = %.12g, want %.12g", h, fc[h], want)
				}
			}
		})
	}
}

// TestThetaReference_Optimised fits Theta as the forecasters do (the SES's
// alpha and initial level estimated) and compares it with statsmodels'
// fit of the same model: the same SES (sum of squared errors within 0.1 %
// or lower, alpha within 0.01) and forecasts within 0.1 %.
func TestThetaReference_Optimised(t *testing.T) {
	for _, c := range loadThetaCases(t) {
		t.Run(c.ID, func(t *testing.T) {
			fitted, err := Theta{Period: c.Period}.Fit(c.Series)
			if err != nil {
				t.Fatal(err)
			}
			f := fitted.(*thetaFit)
			adj := deseasonalise(c.Series, f.idx, f.mul)
			ses := make([]float64, len(adj))
			p := f.ses
			etsSpec{}.filter(adj, &p, ses, nil)
			got := sse(adj, ses)
			if got > c.Optimised.SESSSE*1.001 {
				t.Errorf("SES SSE %.8g (alpha %.4f), statsmodels %.8g (alpha %.4f)", got, f.ses.Alpha, c.Optimised.SESSSE, c.Optimised.Alpha)
			}
			t.Logf("SES SSE %.8g alpha %.4f; statsmodels %.8g alpha %.4f", got, f.ses.Alpha, c.Optimised.SESSSE, c.Optimised.Alpha)
			if math.Abs(f.ses.Alpha-c.Optimised.Alpha) > 0.01 {
				t.Errorf("alpha %.4f, statsmodels %.4f", f.ses.Alpha, c.Optimised.Alpha)
			}
			fc := fitted.Predict(len(c.Optimised.Forecast))
			for h, want := range c.Optimised.Forecast {
				if !relClose(fc[h], want, 1e-3) {
					t.Fatalf("forecast[%d] = %.8g, want %.8g", h, fc[h], want)
				}
			}
		})
	}
}
