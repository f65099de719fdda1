package evaluate

import (
	"context"
	"os"
	"strconv"
	"strings"
	"testing"

	"smartinventory/forecast"
)

func readFile(t *testing.T, path string, opt ReadOptions) *Data {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d, err := Read(f, opt)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestSamples runs the evaluation on samples of the real data sets and
// checks that auto beats the naive baselines and that its 95% intervals
// cover between 85% and 99.5% (wider bounds than the full sets' targets,
// for small samples).
func TestSamples(t *testing.T) {
	tests := []struct {
		file    string
		freq    forecast.Freq
		horizon int
		series  int
	}{
		{"../testdata/carparts_sample.csv", forecast.Monthly, 12, 60},
		{"../testdata/nn5_sample.csv", forecast.Daily, 28, 8},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			d := readFile(t, tc.file, ReadOptions{})
			if d.Freq != tc.freq || d.Horizon != tc.horizon || len(d.Items) != tc.series {
				t.Fatalf("freq %v horizon %d series %d", d.Freq, d.Horizon, len(d.Items))
			}
			rep, err := Run(context.Background(), d.Items, Options{Methods: []string{"auto", "naive", "snaive"}, Fast: true})
			if err != nil {
				t.Fatal(err)
			}
			auto, naive, snaive := rep.Methods[0], rep.Methods[1], rep.Methods[2]
			if auto.RMSSE >= naive.RMSSE || auto.RMSSE >= snaive.RMSSE {
				t.Errorf("auto RMSSE %.3f, naive %.3f, snaive %.3f", auto.RMSSE, naive.RMSSE, snaive.RMSSE)
			}
			if auto.Coverage95 < 0.85 || auto.Coverage95 > 0.995 {
				t.Errorf("coverage95 %.3f", auto.Coverage95)
			}
			if auto.Coverage80 > auto.Coverage95 {
				t.Errorf("coverage80 %.3f > coverage95 %.3f", auto.Coverage80, auto.Coverage95)
			}
		})
	}
}

func TestRead(t *testing.T) {
	tests := []struct {
		name    string
		csv     string
		opt     ReadOptions
		freq    forecast.Freq
		train   []float64 // of the first series; -1 = NaN
		test    []float64
		wantErr string
	}{
		{
			name:  "period-quarterly-split",
			csv:   "series_id,period,quantity,split\na,2020-Q1,1,train\na,2020-Q2,,train\na,2020-Q4,3,train\na,2021-Q1,4,test\n",
			freq:  forecast.Quarterly,
			train: []float64{1, -1, -1, 3}, test: []float64{4},
		},
		{
			name:  "index-fill-zero",
			csv:   "series_id,t,quantity,price\nx,1,5,0.9\nx,3,7,0.9\nx,4,8,1\n",
			opt:   ReadOptions{Horizon: 1, FillZero: true},
			freq:  forecast.Index,
			train: []float64{5, 0, 7}, test: []float64{8},
		},
		{
			name:  "dates-weekly",
			csv:   "series_id,date,quantity\nw,2024-01-01,1\nw,2024-01-08,2\nw,2024-01-22,4\n",
			opt:   ReadOptions{Horizon: 1},
			freq:  forecast.Weekly,
			train: []float64{1, 2, -1}, test: []float64{4},
		},
		{name: "no-time", csv: "series_id,quantity\na,1\n", wantErr: "date, period or t"},
		{name: "bad-split", csv: "series_id,t,quantity,split\na,1,1,holdout\n", wantErr: "split"},
		{name: "bad-quantity", csv: "series_id,t,quantity\na,1,lots\n", wantErr: "bad quantity"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := Read(strings.NewReader(tc.csv), tc.opt)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d.Freq != tc.freq {
				t.Errorf("freq %v, want %v", d.Freq, tc.freq)
			}
			it := d.Items[0]
			eq := func(got, want []float64) bool {
				if len(got) != len(want) {
					return false
				}
				for i, w := range want {
					if (w == -1) != (got[i] != got[i]) || (w != -1 && got[i] != w) {
						return false
					}
				}
				return true
			}
			if !eq(it.Train.Values, tc.train) || !eq(it.Test, tc.test) {
				t.Errorf("train %v test %v, want %v %v", it.Train.Values, it.Test, tc.train, tc.test)
			}
		})
	}
}

// TestRegressors reads driver columns aligned with the periods (a missing
// week is NaN), passes the holdout values as planned values, and reports
// the methods auto chose.
func TestRegressors(t *testing.T) {
	var b strings.Builder
	b.WriteString("series_id,t,quantity,price,deal\n")
	for _, id := range []string{"A", "B", "C"} {
		for i := 1; i <= 60; i++ {
			if i == 20 {
				continue // a gap in the file
			}
			price, deal, q := 2.0, 0, 100
			if i%5 == 0 {
				price, deal, q = 1.6, 1, 260
			}
			if id == "B" {
				q += 20
			}
			b.WriteString(id + "," + itoa(i) + "," + itoa(q) + "," + ftoa(price) + "," + itoa(deal) + "\n")
		}
	}
	w := forecast.Weekly
	d, err := Read(strings.NewReader(b.String()), ReadOptions{Freq: &w, Horizon: 10, Regressors: []string{"price", "deal"}})
	if err != nil {
		t.Fatal(err)
	}
	it := d.Items[0]
	if len(it.Drivers) != 2 || it.Drivers[0].Kind != forecast.Price || it.Drivers[1].Kind != forecast.Flag {
		t.Fatalf("drivers %+v", it.Drivers)
	}
	if n := len(it.Drivers[0].Values); n != it.Train.Len()+len(it.Test) {
		t.Fatalf("driver length %d, want %d", n, it.Train.Len()+len(it.Test))
	}
	if v := it.Drivers[1].Values[19]; v == v {
		t.Errorf("deal of the missing week = %v, want NaN", v)
	}
	if v := it.Drivers[1].Values[len(it.Drivers[1].Values)-1]; v != 1 {
		t.Errorf("planned deal of the last week = %v, want 1", v)
	}
	rep, err := Run(context.Background(), d.Items, Options{Methods: []string{"auto", "naive", "dynreg"}, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if dr, nv := rep.Methods[2].RMSSE, rep.Methods[1].RMSSE; !(dr < 0.5*nv) {
		t.Errorf("dynreg RMSSE %.3f, naive %.3f: the planned deals should explain the spikes", dr, nv)
	}
	total := 0
	for _, c := range rep.Chosen {
		total += c.Series
	}
	if total != 3 {
		t.Errorf("chosen %+v, want 3 series", rep.Chosen)
	}
	if _, err := Read(strings.NewReader(b.String()), ReadOptions{Freq: &w, Regressors: []string{"display"}}); err == nil || !strings.Contains(err.Error(), "display") {
		t.Errorf("missing column: %v", err)
	}
}

func itoa(i int) string     { return strconv.Itoa(i) }
func ftoa(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
