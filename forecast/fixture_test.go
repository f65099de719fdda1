package forecast

import (
	"encoding/json"
	"math"
	"os"
	"strings"
	"testing"
)

// fixtureCase is one reference case made with statsmodels 0.13.5 and
// scikit-learn 1.2.1 (testdata/exponential_smoothing.json).
type fixtureCase struct {
	ID        string         `json:"id"`
	Series    []float64      `json:"series"`
	Model     string         `json:"model"`
	Season    int            `json:"season"`
	Damped    bool           `json:"damped"`
	Optimised bool           `json:"optimised"`
	Params    map[string]any `json:"params"`
	Fitted    []float64      `json:"fitted"`
	Forecast  []float64      `json:"forecast"`
	SSE       float64        `json:"sse"`
}

func loadFixtures(t testing.TB) []fixtureCase {
	t.Helper()
	b, err := os.ReadFile("testdata/exponential_smoothing.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Cases []fixtureCase `json:"cases"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Cases) == 0 {
		t.Fatal("no fixture cases")
	}
	return doc.Cases
}

func (c fixtureCase) num(key string) float64 {
	v, _ := c.Params[key].(float64)
	return v
}

func (c fixtureCase) fixedParams() *ETSParams {
	p := &ETSParams{
		Alpha: c.num("alpha"), Beta: c.num("beta"), Gamma: c.num("gamma"), Phi: c.num("phi"),
		Level: c.num("initial_level"), Trend: c.num("initial_trend"),
	}
	if s, ok := c.Params["initial_seasonal"].([]any); ok {
		for _, v := range s {
			p.Season = append(p.Season, v.(float64))
		}
	}
	return p
}

func (c fixtureCase) model() Model {
	var fixed *ETSParams
	if !c.Optimised {
		fixed = c.fixedParams()
	}
	switch c.Model {
	case "ses":
		return SES{Fixed: fixed}
	case "holt":
		return Holt{Damped: fixed == nil || fixed.Phi != 0 || c.Damped, Fixed: fixed}
	case "holt-winters-add", "holt-winters-mul":
		return HoltWinters{Period: c.Season, Multiplicative: strings.HasSuffix(c.Model, "mul"), Damped: c.Damped, Fixed: fixed, Statsmodels: true}
	case "linear-regression":
		return LinReg{Period: 7}
	}
	return nil
}

func relClose(got, want, tol float64) bool {
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}

func TestFixtures(t *testing.T) {
	for _, c := range loadFixtures(t) {
		t.Run(c.ID, func(t *testing.T) {
			m := c.model()
			if m == nil {
				t.Fatalf("unknown model %q", c.Model)
			}
			f, err := m.Fit(c.Series)
			if err != nil {
				t.Fatal(err)
			}
			if c.Optimised {
				got := sse(c.Series, f.InSample())
				if got > c.SSE*1.001 {
					t.Errorf("SSE %.6g, statsmodels %.6g (+%.3f%%) params %s", got, c.SSE, 100*(got/c.SSE-1), f.Params())
				}
				t.Logf("SSE %.6g vs statsmodels %.6g (%.3f%%)", got, c.SSE, 100*(got/c.SSE-1))
				return
			}
			fitted := f.InSample()
			for i, want := range c.Fitted {
				if !relClose(fitted[i], want, 1e-6) {
					t.Fatalf("fitted[%d] = %.10g, want %.10g", i, fitted[i], want)
				}
			}
			fc := f.Predict(len(c.Forecast))
			for i, want := range c.Forecast {
				if !relClose(fc[i], want, 1e-6) {
					t.Fatalf("forecast[%d] = %.10g, want %.10g", i, fc[i], want)
				}
			}
			if got := sse(c.Series, fitted); !relClose(got, c.SSE, 1e-6) {
				t.Errorf("SSE %.10g, want %.10g", got, c.SSE)
			}
			if lr, ok := f.(*LinRegFit); ok {
				coef, _ := c.Params["coef"].([]any)
				if !relClose(lr.Coef[0], c.num("intercept"), 1e-6) {
					t.Errorf("intercept %.10g, want %.10g", lr.Coef[0], c.num("intercept"))
				}
				for i, v := range coef {
					if !relClose(lr.Coef[1+i], v.(float64), 1e-6) {
						t.Errorf("coef[%d] %.10g, want %.10g", i, lr.Coef[1+i], v.(float64))
					}
				}
			}
		})
	}
}
