package forecast

import (
	"encoding/json"
	"math"
	"os"
	"testing"
)

// maCase is one reference case of testdata/moving_average/reference.json,
// made by testdata/moving_average/generate.py with pandas (the conventions
// are described there). Nulls are days of unknown demand.
type maCase struct {
	ID           string     `json:"id"`
	Series       []*float64 `json:"series"`
	ChosenWindow int        `json:"chosen_window"`
	Windows      []struct {
		Window   int        `json:"window"`
		Fitted   []*float64 `json:"fitted"`
		Forecast []float64  `json:"forecast"`
		SSE      float64    `json:"sse"`
	} `json:"windows"`
}

// withNaN turns nulls into NaN.
func withNaN(v []*float64) []float64 {
	out := make([]float64, len(v))
	for i, p := range v {
		out[i] = math.NaN()
		if p != nil {
			out[i] = *p
		}
	}
	return out
}

// TestMovingAverageReference checks MovingAverage against pandas' rolling
// means: the in-sample one-step values and the forecast of each window,
// censored days skipped, and the window chosen when none is given.
func TestMovingAverageReference(t *testing.T) {
	b, err := os.ReadFile("testdata/moving_average/reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Cases []maCase `json:"cases"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Cases) == 0 {
		t.Fatal("no moving-average cases")
	}
	for _, c := range doc.Cases {
		t.Run(c.ID, func(t *testing.T) {
			y := withNaN(c.Series)
			for _, w := range c.Windows {
				f, err := MovingAverage{Window: w.Window}.Fit(y)
				if err != nil {
					t.Fatal(err)
				}
				fitted := f.InSample()
				for i, want := range withNaN(w.Fitted) {
					if math.IsNaN(want) != math.IsNaN(fitted[i]) || (!math.IsNaN(want) && !relClose(fitted[i], want, 1e-9)) {
						t.Fatalf("window %d: fitted[%d] = %.12g, want %.12g", w.Window, i, fitted[i], want)
					}
				}
				fc := f.Predict(len(w.Forecast))
				for h, want := range w.Forecast {
					if !relClose(fc[h], want, 1e-9) {
						t.Fatalf("window %d: forecast[%d] = %.12g, want %.12g", w.Window, h, fc[h], want)
					}
				}
				if got := sse(y, fitted); !relClose(got, w.SSE, 1e-9) {
					t.Errorf("window %d: SSE %.12g, want %.12g", w.Window, got, w.SSE)
				}
			}
			f, err := MovingAverage{}.Fit(y)
			if err != nil {
				t.Fatal(err)
			}
			if got := f.(*movingAverageFit).window; got != c.ChosenWindow {
				t.Errorf("chose window %d, want %d", got, c.ChosenWindow)
			}
		})
	}
}
