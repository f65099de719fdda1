package forecast

import "math"

// Scale is the M5 scale of a training series: the mean of |y(t) − y(t−lag)|^k
// (k = 2 when squared, else 1) over the series from its first non-zero
// value, skipping pairs with a missing value. It returns 0 when there are no
// such pairs. RMSSE uses lag 1 squared, MASE lag 1 absolute and the M4
// seasonal MASE lag m absolute (over the whole series).
func Scale(train []float64, lag int, squared bool) float64 {
	start := 0
	for start < len(train) && (math.IsNaN(train[start]) || train[start] == 0) {
		start++
	}
	return diffScale(train[start:], lag, squared)
}

func diffScale(y []float64, lag int, squared bool) float64 {
	if lag < 1 {
		lag = 1
	}
	s, n := 0.0, 0
	for t := lag; t < len(y); t++ {
		a, b := y[t], y[t-lag]
		if math.IsNaN(a) || math.IsNaN(b) {
			continue
		}
		d := math.Abs(a - b)
		if squared {
			d *= d
		}
		s += d
		n++
	}
	if n == 0 {
		return 0
	}
	return s / float64(n)
}

// RMSSE is the root mean squared scaled error of the M5 competition:
//
//	RMSSE = √( (1/h) Σ (y(t) − ŷ(t))² / ((1/(n−s−1)) Σ_{t>s} (y(t) − y(t−1))²) ),
//
// with the training series from its first non-zero value s. Missing actual
// values are skipped. It is NaN when the scale is zero or nothing is
// observed.
func RMSSE(train, actual, forecast []float64) float64 {
	sc := Scale(train, 1, true)
	mse, n := meanErr(actual, forecast, true)
	if sc == 0 || n == 0 {
		return math.NaN()
	}
	return math.Sqrt(mse / sc)
}

// MASE is the mean absolute scaled error (Hyndman & Koehler 2006), scaled
// by the mean absolute lag-m difference of the training series. With m = 1
// the M5 convention is used (from the first non-zero value); with m > 1 the
// M4 definition (the whole training series), falling back to lag 1 when the
// series is shorter than m + 1. NaN when the scale is zero.
func MASE(train, actual, forecast []float64, m int) float64 {
	var sc float64
	if m <= 1 {
		sc = Scale(train, 1, false)
	} else {
		if len(train) <= m {
			m = 1
		}
		sc = diffScale(train, m, false)
	}
	mae, n := meanErr(actual, forecast, false)
	if sc == 0 || n == 0 {
		return math.NaN()
	}
	return mae / sc
}

// SMAPE is the symmetric mean absolute percentage error in percent,
// (1/h) Σ 200·|y − ŷ|/(|y| + |ŷ|), counting 0 when both are zero.
func SMAPE(actual, forecast []float64) float64 {
	s, n := 0.0, 0
	for i, y := range actual {
		if math.IsNaN(y) {
			continue
		}
		d := math.Abs(y) + math.Abs(forecast[i])
		if d > 0 {
			s += 200 * math.Abs(y-forecast[i]) / d
		}
		n++
	}
	if n == 0 {
		return math.NaN()
	}
	return s / float64(n)
}

// Bias is the mean signed error (ŷ − y, positive when forecasts are too
// high) divided by the MASE scale (mean absolute lag-1 difference of the
// training series from its first non-zero value). NaN when that is zero.
func Bias(train, actual, forecast []float64) float64 {
	sc := Scale(train, 1, false)
	s, n := 0.0, 0
	for i, y := range actual {
		if math.IsNaN(y) {
			continue
		}
		s += forecast[i] - y
		n++
	}
	if sc == 0 || n == 0 {
		return math.NaN()
	}
	return s / float64(n) / sc
}

func meanErr(actual, forecast []float64, squared bool) (float64, int) {
	s, n := 0.0, 0
	for i, y := range actual {
		if math.IsNaN(y) || i >= len(forecast) {
			continue
		}
		d := math.Abs(y - forecast[i])
		if squared {
			d *= d
		}
		s += d
		n++
	}
	if n == 0 {
		return 0, 0
	}
	return s / float64(n), n
}
