package chart

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"

	"smartinventory/forecast"
)

var regen = flag.Bool("regen", false, "rewrite testdata/*.golden.svg from the current output")

// maxSVG is the size budget of one chart (90 + 30 points).
const maxSVG = 60 << 10

var day0 = time.Date(2026, 8, 3, 0, 0, 0, 0, time.UTC)

// weekly is a deterministic demand series: a weekly cycle, a slow trend and
// a few out-of-stock days.
func weekly(n int, stockouts ...int) forecast.Series {
	v := make([]float64, n)
	for i := range v {
		v[i] = math.Round(10 + 0.03*float64(i) + 4*math.Sin(2*math.Pi*float64(i)/7) + 2*math.Cos(float64(i)*1.7))
	}
	for _, i := range stockouts {
		v[i] = math.NaN()
	}
	return forecast.Series{Start: day0, Freq: forecast.Daily, Values: v}
}

// fakeForecast continues h for n days with bands widening like √h.
func fakeForecast(h forecast.Series, n int, method string) *forecast.Forecast {
	f := &forecast.Forecast{Start: h.Time(h.Len()), Freq: forecast.Daily, Method: method}
	for i := range n {
		m := 12 + 4*math.Sin(2*math.Pi*float64(h.Len()+i)/7)
		s := 1.5 * math.Sqrt(float64(i+1))
		f.Point = append(f.Point, m)
		f.P50 = append(f.P50, m-0.4)
		f.Lo80 = append(f.Lo80, math.Max(0, m-1.2816*s))
		f.Hi80 = append(f.Hi80, m+1.2816*s)
		f.Lo95 = append(f.Lo95, math.Max(0, m-1.96*s))
		f.Hi95 = append(f.Hi95, m+1.96*s)
	}
	return f
}

func products(n int) []Bar {
	bars := make([]Bar, n)
	for i := range bars {
		bars[i] = Bar{Label: fmt.Sprintf("SKU-%04d", (i*37)%1000), Value: math.Round(8000 * math.Pow(0.85, float64(i)))}
	}
	return bars
}

func paretoItems(n int) []ParetoItem {
	items := make([]ParetoItem, n)
	for i, b := range products(n) {
		items[i] = ParetoItem{Label: b.Label, Revenue: b.Value}
	}
	return items
}

// nanify replaces every third value with NaN, +Inf or -Inf in turn.
func nanify(v []float64) []float64 {
	out := append([]float64(nil), v...)
	bad := []float64{math.NaN(), math.Inf(1), math.Inf(-1)}
	for i := 0; i < len(out); i += 3 {
		out[i] = bad[(i/3)%3]
	}
	return out
}

type chartCase struct {
	name   string
	render func(io.Writer, Size) error
	noData bool // expect the "No data" card
}

// cases are the golden charts plus their empty and non-finite variants.
func cases() []chartCase {
	hist := weekly(120, 40, 41, 42, 77)
	fc := fakeForecast(hist, 30, "holt-winters(α=0.21 β=0.01 γ=0.10)")
	sales := weekly(200)
	for i := range sales.Values {
		sales.Values[i] *= 230
	}
	salesFc := fakeForecast(sales, 45, "ets")
	for _, s := range [][]float64{salesFc.Point, salesFc.P50, salesFc.Lo80, salesFc.Hi80, salesFc.Lo95, salesFc.Hi95} {
		for i := range s {
			s[i] *= 230
		}
	}
	nanFc := fakeForecast(hist, 30, "naive")
	for _, s := range []*[]float64{&nanFc.Point, &nanFc.P50, &nanFc.Lo80, &nanFc.Hi80, &nanFc.Lo95, &nanFc.Hi95} {
		*s = nanify(*s)
	}
	nanBars := products(12)
	nanBars[0].Value, nanBars[3].Value, nanBars[5].Value = math.NaN(), math.Inf(1), math.Inf(-1)
	nanItems := paretoItems(30)
	nanItems[1].Revenue, nanItems[2].Revenue, nanItems[4].Revenue = math.NaN(), math.Inf(1), -50
	allNaN := forecast.Series{Start: day0, Freq: forecast.Daily, Values: []float64{math.NaN(), math.NaN()}}

	return []chartCase{
		{name: "forecast", render: func(w io.Writer, s Size) error {
			return Forecast(w, ForecastInput{SKU: "SKU-0042", Name: "Stainless steel water bottle 750 ml", History: hist, Days: 90, Forecast: fc}, s)
		}},
		{name: "forecast_history_only", render: func(w io.Writer, s Size) error {
			return Forecast(w, ForecastInput{SKU: "SKU-0007", Name: "Canvas tote", History: weekly(60, 10, 30)}, s)
		}},
		{name: "forecast_nan", render: func(w io.Writer, s Size) error {
			h := hist
			h.Values = nanify(h.Values)
			return Forecast(w, ForecastInput{SKU: "SKU-0666", History: h, Forecast: nanFc}, s)
		}},
		{name: "forecast_empty", noData: true, render: func(w io.Writer, s Size) error {
			return Forecast(w, ForecastInput{SKU: "SKU-0000", Name: "New product"}, s)
		}},
		{name: "forecast_all_nan", noData: true, render: func(w io.Writer, s Size) error {
			return Forecast(w, ForecastInput{SKU: "SKU-0001", History: allNaN}, s)
		}},
		{name: "sales_revenue", render: func(w io.Writer, s Size) error {
			return Sales(w, SalesInput{Metric: Revenue, Currency: "EUR", History: sales, Forecast: salesFc}, s)
		}},
		{name: "sales_units", render: func(w io.Writer, s Size) error {
			return Sales(w, SalesInput{History: weekly(90), Forecast: fakeForecast(weekly(90), 30, "auto"), Today: day0.AddDate(0, 0, 89)}, s)
		}},
		{name: "sales_empty", noData: true, render: func(w io.Writer, s Size) error {
			return Sales(w, SalesInput{}, s)
		}},
		{name: "top_movers", render: func(w io.Writer, s Size) error {
			return TopMovers(w, BarsInput{Bars: products(25), Period: "last 30 days"}, s)
		}},
		{name: "top_movers_nan", render: func(w io.Writer, s Size) error {
			return TopMovers(w, BarsInput{Bars: nanBars, Metric: Revenue, Currency: "EUR"}, s)
		}},
		{name: "top_movers_empty", noData: true, render: func(w io.Writer, s Size) error {
			return TopMovers(w, BarsInput{}, s)
		}},
		{name: "pareto", render: func(w io.Writer, s Size) error {
			return Pareto(w, ParetoInput{Items: paretoItems(60), Currency: "EUR", Period: "last 90 days"}, s)
		}},
		{name: "pareto_nan", render: func(w io.Writer, s Size) error {
			return Pareto(w, ParetoInput{Items: nanItems, TopN: 8}, s)
		}},
		{name: "pareto_empty", noData: true, render: func(w io.Writer, s Size) error {
			return Pareto(w, ParetoInput{Items: []ParetoItem{{Label: "zero", Revenue: 0}}}, s)
		}},
		{name: "revenue_by_category", render: func(w io.Writer, s Size) error {
			cats := []Bar{{"Bottles", 12400}, {"Bags", 8300}, {"Stationery", 5100}, {"Kitchen", 4900}, {"Outdoor", 2100}, {"Gifts", 900}, {"Toys", 400}}
			return RevenueByCategory(w, BarsInput{Bars: cats, Currency: "EUR", Limit: 5, Period: "last 30 days"}, s)
		}},
		{name: "revenue_by_category_empty", noData: true, render: func(w io.Writer, s Size) error {
			return RevenueByCategory(w, BarsInput{Bars: []Bar{{"NaN", math.NaN()}}}, s)
		}},
	}
}

func TestGolden(t *testing.T) {
	for _, c := range cases() {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := c.render(&buf, Size{}); err != nil {
				t.Fatalf("render: %v", err)
			}
			golden := filepath.Join("testdata", c.name+".golden.svg")
			actual := filepath.Join("testdata", c.name+".actual.svg")
			if *regen {
				if err := os.WriteFile(golden, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				_ = os.Remove(actual)
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -regen to create it)", err)
			}
			if !bytes.Equal(buf.Bytes(), want) {
				if err := os.WriteFile(actual, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				t.Errorf("output differs from %s; wrote %s (go test -regen accepts it)", golden, actual)
				return
			}
			_ = os.Remove(actual)
		})
	}
}

// checkSVG fails unless b is well-formed XML with an <svg> root.
func checkSVG(t *testing.T, b []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	root := ""
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok && root == "" {
			root = se.Name.Local
		}
	}
	if root != "svg" {
		t.Fatalf("root element is %q, want svg", root)
	}
}

func TestValidSVG(t *testing.T) {
	sizes := []Size{{}, {Width: MinWidth, Height: MinHeight}, {Width: 1600, Height: 900}, {Width: 12, Height: 6, Unit: Centimetre}}
	for _, c := range cases() {
		for _, size := range sizes {
			t.Run(fmt.Sprintf("%s/%gx%g%s", c.name, size.Width, size.Height, size.Unit), func(t *testing.T) {
				var buf bytes.Buffer
				if err := c.render(&buf, size); err != nil {
					t.Fatalf("render: %v", err)
				}
				b := buf.Bytes()
				checkSVG(t, b)
				if len(b) > maxSVG {
					t.Errorf("SVG is %d bytes, budget %d", len(b), maxSVG)
				}
				s := string(b)
				for _, bad := range []string{"NaN", "Inf", "@font-face", "base64"} {
					if strings.Contains(s, bad) {
						t.Errorf("SVG contains %q", bad)
					}
				}
				if !strings.Contains(s, "<title>") {
					t.Error("SVG has no <title>")
				}
				if got := strings.Contains(s, ">No data<"); got != c.noData {
					t.Errorf(`"No data" shown = %v, want %v`, got, c.noData)
				}
			})
		}
	}
}

func TestReadable(t *testing.T) {
	tests := []struct {
		name string
		want []string
	}{
		{"forecast", []string{"SKU-0042 · Stainless steel water bottle 750 ml — forecast: holt-winters", "units/day", "date (2026)", "80% interval", "95% interval", "out of stock", "today", "median", "forecast (mean)", ">7 Sep<"}},
		{"sales_revenue", []string{"Daily revenue (EUR), last 90 days and 30-day forecast", "revenue (EUR)/day", "date (2026–2027)"}},
		{"top_movers", []string{"Top movers by units, last 30 days", ">SKU-0000<", ">8,000<", ">units<"}},
		{"pareto", []string{"ABC analysis: revenue Pareto, last 90 days", "cumulative share of revenue", ">100%<", "Other (40)", "80%, 95%"}},
		{"revenue_by_category", []string{"Revenue by category, last 30 days", ">Bottles<", "Other (2)", ">5,000<", "revenue (EUR)"}},
	}
	all := cases()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, c := range all {
				if c.name != tt.name {
					continue
				}
				var buf bytes.Buffer
				if err := c.render(&buf, Size{}); err != nil {
					t.Fatal(err)
				}
				for _, w := range tt.want {
					if !strings.Contains(buf.String(), w) {
						t.Errorf("SVG lacks %q", w)
					}
				}
				return
			}
			t.Fatalf("no case %q", tt.name)
		})
	}
}

func TestValidateSize(t *testing.T) {
	tests := []struct {
		name string
		size Size
		ok   bool
	}{
		{"zero means default", Size{}, true},
		{"default", DefaultSize, true},
		{"smallest", Size{Width: MinWidth, Height: MinHeight}, true},
		{"largest", Size{Width: MaxWidth, Height: MaxHeight}, true},
		{"centimetres", Size{Width: 20, Height: 10, Unit: Centimetre}, true},
		{"too narrow", Size{Width: MinWidth - 1, Height: 400}, false},
		{"too low", Size{Width: 800, Height: MinHeight - 1}, false},
		{"too wide", Size{Width: MaxWidth + 1, Height: 400}, false},
		{"too high", Size{Width: 800, Height: MaxHeight + 1}, false},
		{"negative", Size{Width: -800, Height: 400}, false},
		{"width only", Size{Width: 800}, false},
		{"NaN", Size{Width: math.NaN(), Height: 400}, false},
		{"Inf", Size{Width: 800, Height: math.Inf(1)}, false},
		{"cm too small", Size{Width: 4, Height: 3, Unit: Centimetre}, false},
		{"cm too large", Size{Width: 200, Height: 10, Unit: Centimetre}, false},
		{"pixels read as cm", Size{Width: 800, Height: 400, Unit: Centimetre}, false},
		{"unknown unit", Size{Width: 800, Height: 400, Unit: 7}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateSize(tt.size)
			if tt.ok && err != nil {
				t.Fatalf("ValidateSize(%+v) = %v, want nil", tt.size, err)
			}
			if !tt.ok && !errors.Is(err, ErrBadSize) {
				t.Fatalf("ValidateSize(%+v) = %v, want ErrBadSize", tt.size, err)
			}
		})
	}
}

func TestChartsRejectBadSize(t *testing.T) {
	bad := Size{Width: 10, Height: 10}
	for _, c := range cases() {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := c.render(&buf, bad)
			if !errors.Is(err, ErrBadSize) {
				t.Fatalf("err = %v, want ErrBadSize", err)
			}
			if buf.Len() != 0 {
				t.Errorf("wrote %d bytes on error", buf.Len())
			}
		})
	}
}

func TestSVGSizeInPixels(t *testing.T) {
	tests := []struct {
		size Size
		want string
	}{
		{Size{}, `width="600pt" height="300pt"`}, // 800×400 px
		{Size{Width: 320, Height: 200}, `width="240pt" height="150pt"`},
		{Size{Width: 2.54, Height: 5.08, Unit: Centimetre}, `width="72pt" height="144pt"`},
	}
	for _, tt := range tests {
		if err := ValidateSize(tt.size); err != nil && tt.size.Unit != Centimetre {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		err := TopMovers(&buf, BarsInput{Bars: products(3)}, tt.size)
		if tt.size.Unit == Centimetre { // 96×192 px: below MinWidth
			if !errors.Is(err, ErrBadSize) {
				t.Errorf("%+v: err = %v, want ErrBadSize", tt.size, err)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(buf.String(), tt.want) {
			t.Errorf("%+v: SVG header lacks %s", tt.size, tt.want)
		}
	}
}

type failWriter struct{}

var errDiskFull = errors.New("disk full")

func (failWriter) Write([]byte) (int, error) { return 0, errDiskFull }

func TestWriteErrorWrapped(t *testing.T) {
	for _, c := range cases() {
		if err := c.render(failWriter{}, Size{}); !errors.Is(err, errDiskFull) {
			t.Errorf("%s: err = %v, want it to wrap the writer's error", c.name, err)
		}
	}
}

// TestDefaultFontIgnored checks that the charts use their own sans font
// whatever plot.DefaultFont is, and never change it.
func TestDefaultFontIgnored(t *testing.T) {
	saved := plot.DefaultFont
	defer func() { plot.DefaultFont = saved }()
	plot.DefaultFont = font.Font{Typeface: "Liberation", Variant: "Mono"}
	before := plot.DefaultFont
	for _, c := range cases() {
		var buf bytes.Buffer
		if err := c.render(&buf, Size{}); err != nil {
			t.Fatal(err)
		}
		s := buf.String()
		if strings.Contains(s, "Liberation Mono") || strings.Contains(s, "Liberation Serif") {
			t.Errorf("%s: text not in the package's sans font", c.name)
		}
		if !strings.Contains(s, "font-family:Liberation Sans,Arial,Helvetica,sans-serif") {
			t.Errorf("%s: no sans-serif font family with fallbacks", c.name)
		}
	}
	if plot.DefaultFont != before {
		t.Errorf("plot.DefaultFont changed to %+v", plot.DefaultFont)
	}
}

func TestDeterministicAndConcurrent(t *testing.T) {
	cs := cases()
	want := make([][]byte, len(cs))
	for i, c := range cs {
		var buf bytes.Buffer
		if err := c.render(&buf, Size{}); err != nil {
			t.Fatal(err)
		}
		want[i] = buf.Bytes()
	}
	var wg sync.WaitGroup
	errs := make(chan error, 4*len(cs))
	for range 4 {
		for i, c := range cs {
			wg.Go(func() {
				var buf bytes.Buffer
				if err := c.render(&buf, Size{}); err != nil {
					errs <- err
					return
				}
				if !bytes.Equal(buf.Bytes(), want[i]) {
					errs <- fmt.Errorf("%s: output differs between renders", c.name)
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func TestExtremeValues(t *testing.T) {
	huge := forecast.Series{Start: day0, Freq: forecast.Daily, Values: []float64{1e300, -1e300, 0, math.MaxFloat64, 5}}
	tiny := forecast.Series{Start: day0, Freq: forecast.Daily, Values: []float64{1e-300, 0, 2e-300}}
	one := forecast.Series{Start: day0, Freq: forecast.Daily, Values: []float64{3}}
	tests := []struct {
		name   string
		render func(io.Writer) error
	}{
		{"huge history", func(w io.Writer) error { return Forecast(w, ForecastInput{History: huge}, Size{}) }},
		{"tiny history", func(w io.Writer) error { return Forecast(w, ForecastInput{History: tiny}, Size{}) }},
		{"one day", func(w io.Writer) error { return Sales(w, SalesInput{History: one}, Size{}) }},
		{"one forecast day", func(w io.Writer) error {
			return Forecast(w, ForecastInput{History: one, Forecast: fakeForecast(one, 1, "naive")}, Size{})
		}},
		{"short bands", func(w io.Writer) error {
			f := fakeForecast(one, 10, "naive")
			f.Lo80, f.Hi95 = f.Lo80[:3], nil
			return Forecast(w, ForecastInput{History: one, Forecast: f}, Size{})
		}},
		{"huge bars", func(w io.Writer) error {
			return TopMovers(w, BarsInput{Bars: []Bar{{"a", math.MaxFloat64}, {"b", -math.MaxFloat64}}}, Size{})
		}},
		{"negative bars", func(w io.Writer) error {
			return RevenueByCategory(w, BarsInput{Bars: []Bar{{"returns", -300}, {"b", 100}}}, Size{})
		}},
		{"huge pareto", func(w io.Writer) error {
			return Pareto(w, ParetoInput{Items: []ParetoItem{{"a", math.MaxFloat64}, {"b", math.MaxFloat64}}}, Size{})
		}},
		{"long labels", func(w io.Writer) error {
			return Pareto(w, ParetoInput{Items: []ParetoItem{{strings.Repeat("very long SKU ", 20), 5}, {"<&>\"'", 3}}}, Size{Width: MinWidth, Height: MinHeight})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tt.render(&buf); err != nil {
				t.Fatalf("render: %v", err)
			}
			checkSVG(t, buf.Bytes())
		})
	}
}

func TestDateTicks(t *testing.T) {
	d := func(y int, m time.Month, dd int) float64 { return dayX(time.Date(y, m, dd, 0, 0, 0, 0, time.UTC)) }
	tests := []struct {
		name       string
		min, max   float64
		maxLabels  int
		wantFirst  string
		wantLast   string
		wantLabels int
	}{
		{"daily", d(2026, 8, 3), d(2026, 8, 9), 10, "3 Aug", "9 Aug", 7},
		{"every 2 days", d(2026, 8, 3), d(2026, 8, 16), 8, "3 Aug", "15 Aug", 7},
		{"weekly on Mondays", d(2026, 8, 1), d(2026, 10, 1), 12, "3 Aug", "28 Sep", 9},
		{"fortnightly", d(2026, 8, 1) - 0.5, d(2026, 11, 28) + 0.5, 12, "3 Aug", "23 Nov", 9},
		{"monthly", d(2026, 1, 15), d(2026, 12, 31), 13, "Feb 2026", "Dec 2026", 11},
		{"quarterly", d(2024, 1, 1), d(2026, 12, 31), 14, "Jan 2024", "Oct 2026", 12},
		{"non-finite", math.NaN(), 5, 10, "", "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ticks := dateTicks{max: tt.maxLabels}.Ticks(tt.min, tt.max)
			var labels []string
			for _, tk := range ticks {
				if tk.Label != "" {
					labels = append(labels, tk.Label)
				}
			}
			if len(labels) != tt.wantLabels {
				t.Fatalf("%d labels %v, want %d", len(labels), labels, tt.wantLabels)
			}
			if len(labels) > tt.maxLabels {
				t.Errorf("%d labels, more than %d", len(labels), tt.maxLabels)
			}
			if len(labels) > 0 && (labels[0] != tt.wantFirst || labels[len(labels)-1] != tt.wantLast) {
				t.Errorf("labels %v, want %s … %s", labels, tt.wantFirst, tt.wantLast)
			}
		})
	}
}

func TestCompact(t *testing.T) {
	tests := []struct {
		v    float64
		want string
	}{
		{0, "0"}, {0.5, "0.5"}, {2.25, "2.25"}, {12.5, "12.5"}, {250, "250"}, {1500, "1,500"},
		{-1500, "-1,500"}, {25000, "25k"}, {12500, "12.5k"}, {1.5e6, "1.5M"}, {3e9, "3G"}, {0.001, "0.001"},
	}
	for _, tt := range tests {
		if got := compact(tt.v); got != tt.want {
			t.Errorf("compact(%g) = %q, want %q", tt.v, got, tt.want)
		}
	}
}

func TestNumTicks(t *testing.T) {
	tests := []struct {
		min, max float64
		want     []string
	}{
		{0, 20, []string{"0", "5", "10", "15", "20"}},
		{0, 6300, []string{"0", "2,000", "4,000", "6,000"}},
		{-3, 7, []string{"-2", "0", "2", "4", "6"}},
		{0, 1, []string{"0", "0.2", "0.4", "0.6", "0.8", "1"}},
	}
	for _, tt := range tests {
		var got []string
		for _, tk := range (numTicks{}).Ticks(tt.min, tt.max) {
			got = append(got, tk.Label)
		}
		if strings.Join(got, " ") != strings.Join(tt.want, " ") {
			t.Errorf("ticks(%g, %g) = %v, want %v", tt.min, tt.max, got, tt.want)
		}
	}
}

func BenchmarkCharts(b *testing.B) {
	for _, c := range cases() {
		if c.noData || strings.HasSuffix(c.name, "_nan") {
			continue
		}
		b.Run(c.name, func(b *testing.B) {
			var n int
			for b.Loop() {
				var buf bytes.Buffer
				if err := c.render(&buf, Size{}); err != nil {
					b.Fatal(err)
				}
				n = buf.Len()
			}
			b.ReportMetric(float64(n), "bytes/svg")
		})
	}
}
