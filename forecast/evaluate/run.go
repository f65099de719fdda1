package evaluate

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"smartinventory/forecast"
)

// Options configures [Run].
type Options struct {
	Methods []string // "auto" or names of [forecast.Methods]
	Period  int      // season length (default: the frequency's)
	Workers int      // parallel workers (default: all CPUs)
	Fast    bool     // forecast.AutoOptions.Fast
	// NoPool turns off the shrinkage of the driver models' effects towards the pooled effects
	// of all series of the file ([forecast.PoolEffects]); it only matters
	// for items with drivers. Run estimates the pool on the training parts.
	NoPool bool
	// Progress, when set, is called after each series with the number
	// done and the total; calls are serialised.
	Progress func(done, total int)

	prior []forecast.Effect
}

// PoolMinSD is the smallest spread of the pooled prior of the driver
// effects: no series is forced onto the group's mean.
const PoolMinSD = 0.1

// choiceKey names a combination by its members in alphabetical order, so
// that combo(a+b) and combo(b+a) count together.
func choiceKey(method string) string {
	inner, ok := strings.CutPrefix(method, "combo(")
	if !ok {
		return method
	}
	parts := strings.Split(strings.TrimSuffix(inner, ")"), "+")
	sort.Strings(parts)
	return "combo(" + strings.Join(parts, "+") + ")"
}

// poolPrior fits the driver model without a prior to every training part
// that has drivers and pools the effects.
func poolPrior(items []Item, use []int, period int) []forecast.Effect {
	var per [][]forecast.Effect
	for _, i := range use {
		it := items[i]
		if len(it.Drivers) == 0 {
			continue
		}
		m := period
		if m <= 0 {
			m = it.Train.Freq.Season()
		}
		f, err := forecast.DynReg{Drivers: it.Drivers, Period: m}.Fit(it.Train.Values)
		if err != nil {
			continue
		}
		if ef, ok := f.(forecast.EffectsFitted); ok {
			per = append(per, ef.Effects())
		}
	}
	if len(per) < 2 {
		return nil
	}
	return forecast.PoolEffects(per, PoolMinSD)
}

// Score aggregates one method's accuracy over the series.
type Score struct {
	Method       string  `json:"method"`
	RMSSE        float64 `json:"rmsse"`
	MASE         float64 `json:"mase"`
	MASESeasonal float64 `json:"mase_seasonal"`
	SMAPE        float64 `json:"smape"`
	Bias         float64 `json:"bias"`
	Coverage80   float64 `json:"coverage80"`
	Coverage95   float64 `json:"coverage95"`
	Seconds      float64 `json:"seconds"` // compute time summed over workers
}

// Report is the result of [Run].
type Report struct {
	Series   int     `json:"series"`
	Excluded int     `json:"excluded"` // series with a zero scale
	Seconds  float64 `json:"seconds"`  // wall time
	Methods  []Score `json:"methods"`
	// Chosen counts the methods auto chose (a combination counts as
	// "combo(a+b)"), most frequent first.
	Chosen []Choice `json:"chosen,omitempty"`
}

// Choice is how often auto chose one method.
type Choice struct {
	Method string `json:"method"`
	Series int    `json:"series"`
}

type acc struct {
	rmsse, mase, smape, bias float64
	n                        int
	maseS                    float64
	nS                       int
	in80, in95, points       int
	dur                      time.Duration
	chosen                   map[string]int
}

// Run forecasts every item's holdout with each method and aggregates mean
// RMSSE, MASE (lag-1 scale, M5), seasonal MASE (lag-m scale, M4), sMAPE and
// bias over the series, and the 80% and 95% interval coverage over all
// holdout points. Series whose RMSSE scale is zero are excluded.
func Run(ctx context.Context, items []Item, opt Options) (*Report, error) {
	start := time.Now()
	if len(opt.Methods) == 0 {
		opt.Methods = []string{"auto"}
	}
	for _, m := range opt.Methods {
		if m == "auto" {
			continue
		}
		if _, err := forecast.NewModel(m, 2, false); err != nil {
			return nil, fmt.Errorf("evaluate: %w", err)
		}
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	rep := &Report{Series: len(items)}
	var use []int
	for i, it := range items {
		if forecast.Scale(it.Train.Values, 1, true) == 0 || len(it.Test) == 0 {
			rep.Excluded++
			continue
		}
		use = append(use, i)
	}
	if !opt.NoPool {
		opt.prior = poolPrior(items, use, opt.Period)
	}
	accs := make([][]acc, workers)
	for w := range accs {
		accs[w] = make([]acc, len(opt.Methods))
	}
	jobs := make(chan int)
	errs := make(chan error, workers)
	var mu sync.Mutex
	done := 0
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(a []acc) {
			defer wg.Done()
			for i := range jobs {
				if err := evalItem(items[i], opt, a); err != nil {
					errs <- err
					return
				}
				if opt.Progress != nil {
					mu.Lock()
					done++
					opt.Progress(done, len(use))
					mu.Unlock()
				}
			}
		}(accs[w])
	}
	var err error
feed:
	for _, i := range use {
		select {
		case jobs <- i:
		case err = <-errs:
			break feed
		case <-ctx.Done():
			err = ctx.Err()
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if err == nil {
		select {
		case err = <-errs:
		default:
		}
	}
	if err != nil {
		return nil, err
	}
	for k, m := range opt.Methods {
		var t acc
		for w := range accs {
			a := accs[w][k]
			t.rmsse += a.rmsse
			t.mase += a.mase
			t.smape += a.smape
			t.bias += a.bias
			t.n += a.n
			t.maseS += a.maseS
			t.nS += a.nS
			t.in80 += a.in80
			t.in95 += a.in95
			t.points += a.points
			t.dur += a.dur
			if m == "auto" {
				if t.chosen == nil {
					t.chosen = map[string]int{}
				}
				for name, c := range a.chosen {
					t.chosen[name] += c
				}
			}
		}
		for name, c := range t.chosen {
			rep.Chosen = append(rep.Chosen, Choice{Method: name, Series: c})
		}
		sort.Slice(rep.Chosen, func(i, j int) bool {
			if rep.Chosen[i].Series != rep.Chosen[j].Series {
				return rep.Chosen[i].Series > rep.Chosen[j].Series
			}
			return rep.Chosen[i].Method < rep.Chosen[j].Method
		})
		s := Score{Method: m, Seconds: t.dur.Seconds()}
		if t.n > 0 {
			s.RMSSE = t.rmsse / float64(t.n)
			s.MASE = t.mase / float64(t.n)
			s.SMAPE = t.smape / float64(t.n)
			s.Bias = t.bias / float64(t.n)
		}
		if t.nS > 0 {
			s.MASESeasonal = t.maseS / float64(t.nS)
		}
		if t.points > 0 {
			s.Coverage80 = float64(t.in80) / float64(t.points)
			s.Coverage95 = float64(t.in95) / float64(t.points)
		}
		rep.Methods = append(rep.Methods, s)
	}
	rep.Seconds = time.Since(start).Seconds()
	return rep, nil
}

func evalItem(it Item, opt Options, a []acc) error {
	h := len(it.Test)
	m := opt.Period
	if m <= 0 {
		m = it.Train.Freq.Season()
	}
	for k, method := range opt.Methods {
		t0 := time.Now()
		ao := forecast.AutoOptions{Horizon: h, Period: m, Fast: opt.Fast, Drivers: it.Drivers, Prior: opt.prior}
		var f *forecast.Forecast
		var err error
		if method == "auto" {
			f, err = forecast.Auto(it.Train, ao)
			if err == nil {
				if a[k].chosen == nil {
					a[k].chosen = map[string]int{}
				}
				a[k].chosen[choiceKey(f.Method)]++
			}
		} else {
			f, err = forecast.Fit(it.Train, method, ao)
		}
		if err != nil {
			return fmt.Errorf("evaluate: series %s: %w", it.ID, err)
		}
		a[k].dur += time.Since(t0)
		y := it.Train.Values
		r := forecast.RMSSE(y, it.Test, f.Point)
		ms := forecast.MASE(y, it.Test, f.Point, 1)
		if math.IsNaN(r) || math.IsNaN(ms) {
			continue // holdout entirely missing
		}
		a[k].rmsse += r
		a[k].mase += ms
		a[k].smape += forecast.SMAPE(it.Test, f.Point)
		a[k].bias += forecast.Bias(y, it.Test, f.Point)
		a[k].n++
		if v := forecast.MASE(y, it.Test, f.Point, m); !math.IsNaN(v) {
			a[k].maseS += v
			a[k].nS++
		}
		for i, v := range it.Test {
			if math.IsNaN(v) {
				continue
			}
			a[k].points++
			if f.Lo80[i] <= v && v <= f.Hi80[i] {
				a[k].in80++
			}
			if f.Lo95[i] <= v && v <= f.Hi95[i] {
				a[k].in95++
			}
		}
	}
	return nil
}
