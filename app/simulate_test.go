package app

import (
	"context"
	"math"
	"reflect"
	"testing"
	"time"

	"smartinventory/db/dbtest"
	"smartinventory/db/seed"
	"smartinventory/forecast/restock"
)

func constant(v float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = v
	}
	return out
}

// TestMinMaxPolicy checks the open-source rule by hand. With L 5, R 7 and
// an average of 2 a day: min = 2·5 = 10, max = 2·12 = 24; at position 10
// order 24 − 10 = 14, above min nothing. Censored days are left out of the
// average ([NaN 4 NaN 4] → 4: min 20, max 48). With k = 1.5 both levels
// grow by half (min 15, max 36).
func TestMinMaxPolicy(t *testing.T) {
	item := restock.Item{LeadTimeDays: 5, ReviewDays: 7}
	tests := []struct {
		name            string
		pol             minMaxPolicy
		hist            []float64
		onHand, onOrder int64
		want            int64
	}{
		{"at min", minMaxPolicy{1, 1}, constant(2, 120), 6, 4, 14},
		{"above min", minMaxPolicy{1, 1}, constant(2, 120), 11, 0, 0},
		{"only the last 90 days", minMaxPolicy{1, 1}, append(constant(50, 30), constant(2, 90)...), 0, 0, 24},
		{"censored days skipped", minMaxPolicy{1, 1}, []float64{math.NaN(), 4, math.NaN(), 4}, 0, 0, 48},
		{"k 1.5", minMaxPolicy{1.5, 1.5}, constant(2, 90), 15, 0, 21},
		{"k 1.5 above min", minMaxPolicy{1.5, 1.5}, constant(2, 90), 16, 0, 0},
		{"no demand", minMaxPolicy{1, 1}, constant(0, 90), 0, 0, 0},
		{"nothing observed", minMaxPolicy{1, 1}, []float64{math.NaN()}, 0, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.pol.Order(restock.State{History: tt.hist, OnHand: tt.onHand, OnOrder: tt.onOrder, Item: item})
			if got != tt.want {
				t.Errorf("order %d, want %d", got, tt.want)
			}
		})
	}
}

// TestLinRegPolicy checks the tutorial's rule: a flat history of 3 a day
// forecasts 3·(L+R) = 3·10 = 30, so at position 12 it orders 18; the
// history y(t) = t for t < 70 forecasts 70 … 79, which sum to 745; a
// falling trend is clipped at zero demand.
func TestLinRegPolicy(t *testing.T) {
	item := restock.Item{LeadTimeDays: 3, ReviewDays: 7}
	rising := make([]float64, 70)
	falling := make([]float64, 70)
	for i := range rising {
		rising[i] = float64(i)
		falling[i] = float64(69 - i)
	}
	tests := []struct {
		name   string
		hist   []float64
		onHand int64
		want   int64
	}{
		{"flat", constant(3, 70), 12, 18},
		{"rising", rising, 0, 745},
		{"falling to zero", falling, 0, 0},
		{"no history", nil, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := linregPolicy{}.Order(restock.State{History: tt.hist, OnHand: tt.onHand, Item: item})
			if got < 0 {
				got = 0
			}
			if math.Abs(float64(got-tt.want)) > 1 { // ±1 for floating-point rounding of the sum
				t.Errorf("order %d, want %d", got, tt.want)
			}
		})
	}
}

// TestForecastPolicy checks that our policy refits only every `every`
// days and orders what restock.Suggest says for the position.
func TestForecastPolicy(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	p := &forecastPolicy{histStart: start.AddDate(0, 0, -120), start: start, every: 14}
	item := restock.Item{LeadTimeDays: 7, ReviewDays: 7, ServiceLevel: 0.9, PackSize: 1, MinOrderQty: 1}
	hist := constant(10, 120)
	q := p.Order(restock.State{Day: 0, History: hist, Item: item})
	// Demand of exactly 10 a day: S is about 10·14 = 140.
	if q < 140 || q > 170 {
		t.Errorf("order at position 0 = %d, want about 140", q)
	}
	f := p.f
	if q := p.Order(restock.State{Day: 7, History: append(hist, constant(10, 7)...), OnHand: 200, Item: item}); q != 0 || p.f != f {
		t.Errorf("day 7: order %d (want 0 above S), refitted %v (want the day-0 forecast kept)", q, p.f != f)
	}
	p.Order(restock.State{Day: 14, History: append(hist, constant(10, 14)...), Item: item})
	if p.f == f || p.fitDay != 14 {
		t.Errorf("day 14: fit day %d, want a refit on day 14", p.fitDay)
	}
	empty := &forecastPolicy{histStart: start, start: start, every: 7}
	if q := empty.Order(restock.State{History: []float64{math.NaN()}, Item: item}); q != 0 || empty.failures != 0 {
		t.Errorf("all censored: order %d, failures %d, want 0 and 0", q, empty.failures)
	}
}

// TestSimulateRestock replays demo data end to end: the report lists the
// four policies on the same products, the tuned min/max reaches our
// service level, runs are deterministic, and options are validated.
func TestSimulateRestock(t *testing.T) {
	ctx := context.Background()
	bdb := dbtest.Open(t)
	end := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
	if _, err := seed.Generate(ctx, bdb, seed.Options{Products: 20, Days: 200, EndDate: end, Seed: 3}, nil); err != nil {
		t.Fatalf("seed: %v", err)
	}
	a := New(bdb, Options{Now: func() time.Time { return end.AddDate(0, 0, 1).Add(9 * time.Hour) }})
	opt := SimOptions{Days: 60, Products: 12, Seed: 5}
	rep, err := SimulateRestock(ctx, a, opt)
	if err != nil {
		t.Fatalf("SimulateRestock: %v", err)
	}
	if rep.From != "2026-05-02" || rep.To != "2026-06-30" || rep.Days != 60 || rep.ReviewDays != 7 || rep.ReforecastEvery != 7 {
		t.Errorf("window %s..%s days %d review %d every %d", rep.From, rep.To, rep.Days, rep.ReviewDays, rep.ReforecastEvery)
	}
	if rep.Products != 12 || rep.Eligible < 12 || rep.Eligible > 20 {
		t.Errorf("products %d of %d eligible, want 12 of 12–20", rep.Products, rep.Eligible)
	}
	names := []string{PolicyForecast, PolicyMinMax, PolicyMinMaxTuned, PolicyLinReg}
	if len(rep.Policies) != len(names) {
		t.Fatalf("%d policies, want %d", len(rep.Policies), len(names))
	}
	for i, p := range rep.Policies {
		if p.Name != names[i] {
			t.Errorf("policy %d = %s, want %s", i, p.Name, names[i])
		}
		if p.CycleService < 0 || p.CycleService > 1 || p.FillRate < 0 || p.FillRate > 1 || p.InventoryValue < 0 || p.Cycles <= 0 {
			t.Errorf("%s: implausible %+v", p.Name, p)
		}
		if p.Demand != rep.Policies[0].Demand {
			t.Errorf("%s: demand %v, want the same replay as ours (%v)", p.Name, p.Demand, rep.Policies[0].Demand)
		}
	}
	ours, tuned := rep.Policies[0], rep.Policies[2]
	if ours.Target == nil || *ours.Target < 0.9 || *ours.Target > 0.99 {
		t.Errorf("our target %v, want a service level in [0.90, 0.99]", ours.Target)
	}
	if tuned.CycleService < ours.CycleService || tuned.Target == nil || *tuned.Target != ours.CycleService {
		t.Errorf("tuned min/max CSL %v (target %v), want ≥ ours %v", tuned.CycleService, tuned.Target, ours.CycleService)
	}
	if rep.Policies[1].Factor == nil || *rep.Policies[1].Factor != 1 || rep.Policies[1].Target != nil || rep.Policies[3].Target != nil {
		t.Errorf("baselines: min/max factor %v target %v, linreg target %v", rep.Policies[1].Factor, rep.Policies[1].Target, rep.Policies[3].Target)
	}

	again, err := SimulateRestock(ctx, a, opt)
	if err != nil {
		t.Fatalf("second run: %v", err)
	}
	if !reflect.DeepEqual(again.Policies, rep.Policies) {
		t.Errorf("not deterministic:\n%+v\n%+v", rep.Policies, again.Policies)
	}

	if _, err := SimulateRestock(ctx, a, SimOptions{Days: 3}); ErrorCode(err) != EINVALID {
		t.Errorf("days 3: error %v, want EINVALID", err)
	}
	all, err := SimulateRestock(ctx, a, SimOptions{Days: 30, Products: -1, Workers: 1})
	if err != nil || all.Products != all.Eligible {
		t.Errorf("all products: %d of %d, err %v", all.Products, all.Eligible, err)
	}
}
