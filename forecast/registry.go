package forecast

import (
	"fmt"
	"math"
	"sort"
	"strings"
)

// Methods lists the model names accepted by [NewModel] and
// [AutoOptions.Methods].
var Methods = []string{
	"naive", "snaive", "ma", "linreg", "ses", "holt", "hw-add", "hw-mul",
	"theta", "croston", "sba", "tsb", "adida", "arima",
	"dynreg", "poisson",
}

// NewModel returns the model called name for a series with season length
// period: naive, snaive (seasonal naive), ma (moving average), linreg
// (trend + season dummies), ses, holt (damped), hw-add and hw-mul (damped
// Holt-Winters), theta, croston, sba, tsb, adida or arima (seasonal ARIMA
// with automatic order selection, [AutoARIMA]) or dynreg (dynamic regression
// on drivers, [DynReg]; without drivers a robust local level of log demand)
// or poisson (count GLM on drivers, [PoissonReg]; without drivers the mean of
// the last 104 periods). "ses-A" is SES with a
// fixed α = A and "tsb-A-B" TSB with fixed α = A, β = B (e.g. ses-0.1,
// tsb-0.1-0.1). Exponential smoothing models estimate their initial states
// unless fast is set.
func NewModel(name string, period int, fast bool) (Model, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "naive":
		return Naive{}, nil
	case "snaive", "seasonal-naive":
		return SeasonalNaive{Period: period}, nil
	case "ma", "moving-average":
		return MovingAverage{}, nil
	case "linreg", "linear-regression":
		return LinReg{Period: period}, nil
	case "ses":
		if fast {
			return sesFast{}, nil
		}
		return SES{}, nil
	case "holt", "holt-damped":
		return Holt{Damped: true, HeuristicInit: fast}, nil
	case "hw-add", "hw", "holt-winters":
		return HoltWinters{Period: period, Damped: true, HeuristicInit: fast}, nil
	case "hw-mul":
		return HoltWinters{Period: period, Multiplicative: true, Damped: true, HeuristicInit: fast}, nil
	case "theta":
		return Theta{Period: period}, nil
	case "croston":
		return Croston{}, nil
	case "sba":
		return SBA{}, nil
	case "tsb":
		return TSB{}, nil
	case "adida":
		return ADIDA{}, nil
	case "arima", "auto-arima":
		return AutoARIMA{Period: period}, nil
	case "dynreg", "drivers":
		return DynReg{Period: period}, nil
	case "poisson", "poisson-glm":
		return PoissonReg{}, nil
	}
	var a, b float64
	if n, _ := fmt.Sscanf(name, "tsb-%g-%g", &a, &b); n == 2 && a > 0 && a <= 1 && b > 0 && b <= 1 {
		return TSB{Alpha: a, Beta: b}, nil
	}
	if n, _ := fmt.Sscanf(name, "ses-%g", &a); n == 1 && a > 0 && a <= 1 {
		return sesFixed{a}, nil
	}
	known := append([]string(nil), Methods...)
	sort.Strings(known)
	return nil, fmt.Errorf("forecast: unknown method %q (known: %s)", name, strings.Join(known, ", "))
}

// sesFast is SES with the initial level taken from the first observations
// and only α estimated.
type sesFast struct{}

func (sesFast) Name() string { return "ses" }
func (sesFast) Fit(y []float64) (Fitted, error) {
	return fitETS(etsSpec{}, y, nil, true)
}

// sesFixed is SES with a fixed α, the level starting at the mean of the
// first 12 observations.
type sesFixed struct{ alpha float64 }

func (m sesFixed) Name() string { return fmt.Sprintf("ses-%g", m.alpha) }
func (m sesFixed) Fit(y []float64) (Fitted, error) {
	l := nanMean(y[:min(len(y), 12)])
	if math.IsNaN(l) {
		l = nanMean(y)
	}
	return fitETS(etsSpec{}, y, &ETSParams{Alpha: m.alpha, Level: l}, false)
}
