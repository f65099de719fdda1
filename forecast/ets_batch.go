package forecast

import "math"

// batchSize is the number of parameter sets [filterBatch] runs together.
const batchSize = 8

// etsBatch holds up to batchSize parameter sets and their states. Running
// several independent recursions in one pass over y lets the processor
// overlap their dependency chains (each period's level depends on the
// previous one, so a single recursion is bound by latency, not
// throughput): the finite-difference gradients of the estimators cost
// about a third of separate runs.
type etsBatch struct {
	k                       int
	alpha, beta, gamma, phi [batchSize]float64
	l, b, sum               [batchSize]float64
	bad                     [batchSize]bool
	season                  [batchSize][]float64
	buf                     []float64
}

// load sets slot i from p.
func (bt *etsBatch) load(i int, sp etsSpec, p *ETSParams) {
	bt.alpha[i], bt.gamma[i] = p.Alpha, p.Gamma
	bt.phi[i], bt.beta[i], bt.b[i] = 1, 0, 0
	if sp.damped {
		bt.phi[i] = p.Phi
	}
	if sp.trend {
		bt.beta[i], bt.b[i] = p.Beta, p.Trend
	}
	bt.l[i], bt.sum[i], bt.bad[i] = p.Level, 0, false
	if sp.seasonal() {
		m := sp.period
		if len(bt.buf) < batchSize*m {
			bt.buf = make([]float64, batchSize*m)
		}
		bt.season[i] = bt.buf[i*m : (i+1)*m]
		copy(bt.season[i], p.Season)
	}
}

// run filters y with the k loaded sets; result i is the SSE, or +Inf when
// the recursion failed (as [etsSpec.filter]).
func (bt *etsBatch) run(sp etsSpec, y []float64, out []float64) {
	switch {
	case !sp.seasonal():
		bt.nonSeasonal(y)
	case sp.mul:
		bt.mul(y, sp.period)
	default:
		bt.add(y, sp.period)
	}
	for i := 0; i < bt.k; i++ {
		s, l, b := bt.sum[i], bt.l[i], bt.b[i]
		if bt.bad[i] || math.IsNaN(s) || math.IsNaN(l) || math.IsInf(l, 0) || math.IsNaN(b) || math.IsInf(b, 0) {
			s = math.Inf(1)
		}
		out[i] = s
	}
}

func (bt *etsBatch) nonSeasonal(y []float64) {
	k := bt.k
	for _, v := range y {
		nan := v != v
		for i := 0; i < k; i++ {
			l, b, phi := bt.l[i], bt.b[i], bt.phi[i]
			pl := l + phi*b
			u := v
			if nan {
				u = pl
			} else {
				e := v - pl
				bt.sum[i] += e * e
			}
			nl := pl + bt.alpha[i]*(u-pl)
			beta := bt.beta[i]
			bt.b[i] = beta*(nl-l) + (1-beta)*phi*b
			bt.l[i] = nl
		}
	}
}

func (bt *etsBatch) add(y []float64, m int) {
	k := bt.k
	j := 0
	for _, v := range y {
		nan := v != v
		for i := 0; i < k; i++ {
			l, b, phi := bt.l[i], bt.b[i], bt.phi[i]
			season := bt.season[i]
			pl := l + phi*b
			s := season[j]
			yhat := pl + s
			u := v
			if nan {
				u = yhat
			} else {
				e := v - yhat
				bt.sum[i] += e * e
			}
			alpha, gamma, beta := bt.alpha[i], bt.gamma[i], bt.beta[i]
			nl := alpha*(u-s) + (1-alpha)*pl
			season[j] = gamma*(u-pl) + (1-gamma)*s
			bt.b[i] = beta*(nl-l) + (1-beta)*phi*b
			bt.l[i] = nl
		}
		if j++; j == m {
			j = 0
		}
	}
}

func (bt *etsBatch) mul(y []float64, m int) {
	k := bt.k
	j := 0
	for _, v := range y {
		nan := v != v
		for i := 0; i < k; i++ {
			if bt.bad[i] {
				continue
			}
			l, b, phi := bt.l[i], bt.b[i], bt.phi[i]
			season := bt.season[i]
			pl := l + phi*b
			s := season[j]
			yhat := pl * s
			u := v
			if nan {
				u = yhat
			} else {
				e := v - yhat
				bt.sum[i] += e * e
			}
			if s <= 0 || pl <= 0 {
				bt.bad[i] = true
				continue
			}
			alpha, gamma, beta := bt.alpha[i], bt.gamma[i], bt.beta[i]
			nl := alpha*u/s + (1-alpha)*pl
			season[j] = gamma*u/pl + (1-gamma)*s
			bt.b[i] = beta*(nl-l) + (1-beta)*phi*b
			bt.l[i] = nl
		}
		if j++; j == m {
			j = 0
		}
	}
}
