package server

import (
	"bytes"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"smartinventory/app"
	"smartinventory/app/httpapi"
	"smartinventory/db"
)

// Metrics
//
// With Options.Metrics the server counts every request and serves the
// figures at GET /metrics in the Prometheus text format:
//
//   - smartinventory_http_requests_total{method,route,status} and
//     smartinventory_http_request_duration_seconds{method,route,status}
//     (a histogram): route is the route pattern ("/api/v1/products/:id",
//     never the raw URL, so ids do not multiply the series; "unmatched"
//     for paths without a route) and status the class ("2xx" … "5xx").
//   - smartinventory_http_requests_in_flight.
//   - smartinventory_sales_recorded_total: sale lines recorded through
//     this process's API (POST /api/v1/sales and /sales/batch answered 201).
//   - smartinventory_forecast_batch_duration_seconds,
//     smartinventory_forecast_batch_last_finished_timestamp_seconds,
//     smartinventory_forecast_batch_running, _products and _failed: the
//     last forecast batch of this process (app.Forecasts.Status).
//   - go_sql_* : the database pool (sql.DB.Stats: open, in use, idle,
//     waits and wait time), labelled db_name="smartinventory".
//   - go_* and process_* : the Go runtime and the process (resident
//     memory, CPU, open files).
//
// Who may read /metrics: a client on the loopback interface that came
// directly (no X-Forwarded-For, X-Real-IP or Forwarded header, so a
// reverse proxy on the same host does not open it to the world), or an
// admin — an admin's API token (Authorization: Bearer) or browser session.
// Everyone else gets 401 or 403. Without Options.Metrics there is no
// /metrics route and no counting at all.

// metricsPath is where the metrics are served.
const metricsPath = "/metrics"

// routeUnmatched is the route label of requests that matched no route.
const routeUnmatched = "unmatched"

// metrics holds the collectors of one server.
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	inFlight prometheus.Gauge
	sales    prometheus.Counter
}

// latencyBuckets cover 0.5 ms to 10 s: this server answers most reads in
// well under a millisecond, so the usual Prometheus defaults (from 5 ms)
// would put nearly everything in the first bucket.
var latencyBuckets = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// newMetrics builds the registry for a: request metrics, sales, the
// forecast batch, the database pool, the Go runtime and the process.
func newMetrics(a *app.App) (*metrics, error) {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "smartinventory_http_requests_total",
			Help: "HTTP requests answered, by method, route pattern and status class.",
		}, []string{"method", "route", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "smartinventory_http_request_duration_seconds",
			Help:    "Time to answer HTTP requests, by method, route pattern and status class.",
			Buckets: latencyBuckets,
		}, []string{"method", "route", "status"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "smartinventory_http_requests_in_flight",
			Help: "HTTP requests being answered now.",
		}),
		sales: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "smartinventory_sales_recorded_total",
			Help: "Sale lines recorded through this process's API (single and batch).",
		}),
	}
	fs := a.Forecasts
	batch := func(name, help string, value func(app.JobStatus) float64) prometheus.Collector {
		return prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "smartinventory_forecast_batch_" + name, Help: help},
			func() float64 { return value(fs.Status()) })
	}
	cs := []prometheus.Collector{
		m.requests, m.duration, m.inFlight, m.sales,
		batch("duration_seconds", "Duration of the last finished forecast batch of this process (0: none yet).",
			func(s app.JobStatus) float64 {
				if s.FinishedAt == nil {
					return 0
				}
				return s.Seconds
			}),
		batch("last_finished_timestamp_seconds", "Unix time the last forecast batch of this process finished (0: none yet).",
			func(s app.JobStatus) float64 {
				if s.FinishedAt == nil {
					return 0
				}
				return float64(s.FinishedAt.UnixNano()) / 1e9
			}),
		batch("running", "1 while a forecast batch runs in this process.",
			func(s app.JobStatus) float64 {
				if s.Running {
					return 1
				}
				return 0
			}),
		batch("products", "Products forecast by the current or last batch.",
			func(s app.JobStatus) float64 { return float64(s.Done) }),
		batch("failed", "Products the current or last batch failed to forecast.",
			func(s app.JobStatus) float64 { return float64(s.Failed) }),
		collectors.NewDBStatsCollector(a.Pool(), "smartinventory"),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	}
	for _, c := range cs {
		if err := m.registry.Register(c); err != nil {
			return nil, fmt.Errorf("server: register metrics: %w", err)
		}
	}
	return m, nil
}

// statusClass returns "2xx" for 200–299 and so on.
func statusClass(status int) string {
	switch {
	case status >= 100 && status < 600:
		return strconv.Itoa(status/100) + "xx"
	default:
		return "other"
	}
}

// Routes whose 201 answers record sales.
var (
	routeSale      = httpapi.Prefix + "/sales"
	routeSaleBatch = httpapi.Prefix + "/sales/batch"
)

// middleware counts and times every request by route pattern and status
// class, and counts recorded sales. It must run outside the request
// logger, which renders handler errors, so the status it sees is final.
func (m *metrics) middleware() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			start := time.Now()
			m.inFlight.Inc()
			defer m.inFlight.Dec()

			route := c.Path()
			var head *headWriter
			if c.Request().Method == http.MethodPost && route == routeSaleBatch {
				head = &headWriter{ResponseWriter: c.Response().Writer}
				c.Response().Writer = head
			}
			err := next(c)
			if err != nil {
				// Render it now (as the request logger does) so the
				// counted status is the one sent.
				c.Error(err)
			}
			status := c.Response().Status
			if route == "" {
				route = routeUnmatched
			}
			labels := prometheus.Labels{"method": c.Request().Method, "route": route, "status": statusClass(status)}
			m.requests.With(labels).Inc()
			// An event stream lasts as long as its page is open: its
			// lifetime is no request latency.
			if !strings.HasPrefix(c.Response().Header().Get(echo.HeaderContentType), "text/event-stream") {
				m.duration.With(labels).Observe(time.Since(start).Seconds())
			}

			if c.Request().Method == http.MethodPost && status == http.StatusCreated {
				switch route {
				case routeSale:
					m.sales.Inc()
				case routeSaleBatch:
					if n, ok := batchCount(head.buf.Bytes()); ok {
						m.sales.Add(float64(n))
					}
				}
			}
			return nil
		}
	}
}

// headWriter keeps the first bytes written to the response.
type headWriter struct {
	http.ResponseWriter
	buf bytes.Buffer
}

// headSize is how much of a response headWriter keeps: enough for
// `{"count":10000,`.
const headSize = 64

func (w *headWriter) Write(p []byte) (int, error) {
	if room := headSize - w.buf.Len(); room > 0 {
		w.buf.Write(p[:min(room, len(p))])
	}
	n, err := w.ResponseWriter.Write(p)
	if err != nil {
		return n, fmt.Errorf("server: write response: %w", err)
	}
	return n, nil
}

// Unwrap lets http.ResponseController reach the connection.
func (w *headWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// batchCount reads N from the start of a batch answer, `{"count":N,…`
// (httpapi.BatchResult, whose first field is the count).
func batchCount(head []byte) (int, bool) {
	rest, ok := bytes.CutPrefix(bytes.TrimLeft(head, " \t\r\n"), []byte(`{"count":`))
	if !ok {
		return 0, false
	}
	end := bytes.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' })
	if end <= 0 {
		return 0, false
	}
	n, err := strconv.Atoi(string(rest[:end]))
	if err != nil {
		return 0, false
	}
	return n, true
}

// handler serves the metrics to the clients allowed above.
func (m *metrics) handler(a *app.App, actorFromRequest func(*http.Request) (app.Actor, bool)) echo.HandlerFunc {
	h := promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
	return func(c echo.Context) error {
		if err := allowMetrics(c, a, actorFromRequest); err != nil {
			return err
		}
		h.ServeHTTP(c.Response(), c.Request())
		return nil
	}
}

// allowMetrics returns nil when the request may read the metrics: a direct
// loopback client, or an admin by session or bearer token.
func allowMetrics(c echo.Context, a *app.App, actorFromRequest func(*http.Request) (app.Actor, bool)) error {
	r := c.Request()
	if directLoopback(r) {
		return nil
	}
	if actorFromRequest != nil {
		if actor, ok := actorFromRequest(r); ok {
			return requireAdmin(actor)
		}
	}
	scheme, token, ok := strings.Cut(r.Header.Get(echo.HeaderAuthorization), " ")
	token = strings.TrimSpace(token)
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="smartinventory"`)
		return app.Errorf(app.EUNAUTHORIZED, "The metrics need an admin's token, or a request from this host.")
	}
	user, _, err := a.Users.AuthenticateToken(r.Context(), token)
	if err != nil {
		if app.ErrorCode(err) == app.EUNAUTHORIZED {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="smartinventory", error="invalid_token"`)
		}
		return fmt.Errorf("server: metrics: %w", err)
	}
	return requireAdmin(app.ActorFor(user, "metrics"))
}

// requireAdmin refuses actors below admin.
func requireAdmin(a app.Actor) error {
	if a.Role.Rank() < db.RoleAdmin.Rank() {
		return app.Errorf(app.EFORBIDDEN, "Only admins may read the metrics.")
	}
	return nil
}

// directLoopback reports whether the peer is a loopback address and the
// request carries no proxy header (it was not relayed by a proxy).
func directLoopback(r *http.Request) bool {
	for _, h := range []string{echo.HeaderXForwardedFor, echo.HeaderXRealIP, "Forwarded"} {
		if r.Header.Get(h) != "" {
			return false
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
