package cli

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"smartinventory/app"
	"smartinventory/app/server"
	"smartinventory/app/web"
	"smartinventory/db"
	"smartinventory/db/seed"
)

func init() { register(newServeCmd) }

// demoUsername is the login created by `serve --demo`. It is an admin so
// that a first look shows everything: users, tokens and every action.
const demoUsername = "demo"

// serveOptions are serve's operational flags.
type serveOptions struct {
	tlsCert, tlsKey string      // --tls-cert, --tls-key: serve HTTPS
	trustProxy      bool        // --trust-proxy: believe X-Forwarded-For/-Proto
	trustedProxies  []net.IPNet // --trusted-proxies: the proxies' ranges
	metrics         bool        // --metrics: serve /metrics
	cpuProfile      string      // --cpuprofile: profile the run to this file
}

// newServeCmd builds `serve [--demo]`.
func newServeCmd(env *Env) *cobra.Command {
	var demo bool
	var so serveOptions
	cmd := &cobra.Command{
		Use:   "serve [--demo]",
		Short: "Run the web UI and the JSON API",
		Long: `Run the web UI and the JSON API on --addr (default :8080) over the
database named by --db, applying pending migrations first.

On a database without users, serve creates the user "admin" with a random
password and prints it once. With --demo on an empty database (no users,
no products) it first fills in demo data (300 products, two years of
sales) and creates the admin user "demo" instead.

The URL and the login are printed on stdout; logs go to stderr (text on a
terminal, JSON lines otherwise). SIGINT or SIGTERM stops the server after
in-flight requests finish.

--tls-cert and --tls-key (PEM files) serve HTTPS (and HTTP/2) instead of
HTTP. Behind a reverse proxy that terminates TLS, --trust-proxy believes
its X-Forwarded-For (client IP in logs and login rate limits: the
rightmost address that is not one of --trusted-proxies, by default
loopback, link-local and private ranges) and X-Forwarded-Proto (Secure
cookies, HSTS); leave it off otherwise, as clients could forge them. --metrics serves /metrics in the Prometheus text format
to clients on this host (not through a proxy) and to admins' tokens.`,
		Example: `  smartinventory serve --demo
  smartinventory serve --addr 127.0.0.1:9000 --db postgres://app@db/inventory?sslmode=disable
  smartinventory serve --addr :8443 --tls-cert cert.pem --tls-key key.pem --metrics
  smartinventory serve --addr 127.0.0.1:8080 --trust-proxy`,
		Args: exactArgs(0, "no arguments"),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if _, _, err := db.ParseDSN(env.DB); err != nil {
				return usagef("--db: %v", err)
			}
			if _, _, err := net.SplitHostPort(env.Addr); err != nil {
				return usagef("invalid --addr %q: use HOST:PORT or :PORT, e.g. :8080", env.Addr)
			}
			if (so.tlsCert == "") != (so.tlsKey == "") {
				return usagef("--tls-cert and --tls-key go together")
			}
			return runServe(cmd.Context(), env, demo, so)
		},
	}
	cmd.Flags().BoolVar(&demo, "demo", false, "on an empty database, create demo data and a demo login")
	cmd.Flags().StringVar(&so.tlsCert, "tls-cert", "", "serve HTTPS with this PEM certificate (chain) file; needs --tls-key")
	cmd.Flags().StringVar(&so.tlsKey, "tls-key", "", "PEM private key file of --tls-cert")
	cmd.Flags().BoolVar(&so.trustProxy, "trust-proxy", false, "behind a reverse proxy: trust its X-Forwarded-For and X-Forwarded-Proto headers")
	cmd.Flags().IPNetSliceVar(&so.trustedProxies, "trusted-proxies", nil, "with --trust-proxy: the proxies' address ranges (CIDR, comma-separated; default loopback, link-local and private)")
	cmd.Flags().BoolVar(&so.metrics, "metrics", false, "serve /metrics (Prometheus) to local clients and admin tokens")
	cmd.Flags().StringVar(&so.cpuProfile, "cpuprofile", "", "write a CPU profile of the whole run to this file (for `go tool pprof`)")
	return cmd
}

// ipNets returns pointers to nets.
func ipNets(nets []net.IPNet) []*net.IPNet {
	out := make([]*net.IPNet, len(nets))
	for i := range nets {
		out[i] = &nets[i]
	}
	return out
}

// serveMemoryLimit is the default soft memory limit of serve (GOMEMLIMIT
// overrides it).
const serveMemoryLimit = 160 << 20

// login is a username and password to print once at startup.
type login struct{ username, password string }

func runServe(ctx context.Context, env *Env, demo bool, so serveOptions) error {
	if os.Getenv("GOMEMLIMIT") == "" {
		// A soft heap limit keeps a busy server's memory near its live data
		// instead of letting garbage from large batches pile up.
		debug.SetMemoryLimit(serveMemoryLimit)
	}
	if so.cpuProfile != "" {
		stop, err := startCPUProfile(so.cpuProfile)
		if err != nil {
			return err
		}
		defer stop()
	}
	logger := newLogger(env.Stderr)
	bdb, err := env.openDB(ctx)
	if err != nil {
		return cliError(err)
	}
	defer bdb.Close()
	a := app.New(bdb, app.Options{AnalyticsMaxStale: 30 * time.Second})

	first, err := prepareFirstRun(ctx, env, a, bdb, logger, demo)
	if err != nil {
		return cliError(err)
	}
	// The shop settings still unset get this server's locale and zone.
	if err := a.Settings.InitShop(ctx, app.ShopDefaults()); err != nil {
		return cliError(err)
	}
	// Forecasts: computed now when stale (e.g. right after --demo), then
	// nightly at 02:00 UTC; requests never wait for the batch. The
	// scheduler stops, and is waited for, before the database closes.
	// The change watcher follows other processes' writes (replicas over
	// LISTEN/NOTIFY, the command line on SQLite), so that caches and live
	// dashboards need not ask the database whether anything changed.
	schedCtx, stopSchedule := context.WithCancel(ctx)
	scheduled := make(chan struct{})
	watching := make(chan struct{})
	go func() {
		defer close(scheduled)
		a.Forecasts.Schedule(schedCtx, logger, 2*time.Hour)
	}()
	go func() {
		defer close(watching)
		a.Changes.Watch(schedCtx, bdb, logger)
	}()
	// Planned prices: applied at start and every 10 minutes (each replica
	// runs the job; a planned price is applied once, see Prices.ApplyDue).
	pricing := make(chan struct{})
	go func() {
		defer close(pricing)
		a.Prices.Schedule(schedCtx, logger, 10*time.Minute)
	}()
	// Restock suggestions and KPIs are computed before /readyz answers
	// ready, so the first user does not wait seconds for them.
	warm := a.Warm(schedCtx)
	warmed := make(chan struct{})
	go func() {
		defer close(warmed)
		if err := <-warm; err != nil && schedCtx.Err() == nil {
			logger.Warn("warm-up failed; the caches fill on first use", "error", err)
		}
	}()
	defer func() {
		stopSchedule()
		<-scheduled
		<-watching
		<-pricing
		<-warmed
	}()

	ui, err := web.New(ctx, a, web.Config{Logger: logger, TrustProxy: so.trustProxy})
	if err != nil {
		return cliError(err)
	}
	h := server.New(a, server.Options{Logger: logger,
		ActorFromRequest: ui.ActorFromRequest, Mount: ui.Mount, HandleError: ui.HandleError,
		Metrics: so.metrics, TrustProxy: so.trustProxy, TrustedProxies: ipNets(so.trustedProxies)})
	tlsFiles := server.TLSFiles{Cert: so.tlsCert, Key: so.tlsKey}
	err = server.RunTLS(ctx, env.Addr, h, logger, tlsFiles, func(addr net.Addr) {
		u := serverURL(addr)
		if tlsFiles.Cert != "" {
			u = "https" + strings.TrimPrefix(u, "http")
		}
		fmt.Fprintf(env.Stdout, "Smart Inventory is running at %s\n", u)
		if first != nil {
			fmt.Fprintf(env.Stdout, "Login: %s / %s   (shown only this once)\n", first.username, first.password)
		}
	})
	if err != nil {
		return err
	}
	logger.Info("stopped")
	return nil
}

// prepareFirstRun gives a database without users its first login: the
// demo data and the "demo" admin with --demo on an empty database, the
// "admin" user otherwise. It returns nil when the database already has
// users (then --demo changes nothing).
func prepareFirstRun(ctx context.Context, env *Env, a *app.App, bdb *db.DB, logger *slog.Logger, demo bool) (*login, error) {
	users, err := a.Users.CountUsers(ctx, app.System)
	if err != nil {
		return nil, err
	}
	if users > 0 {
		if demo {
			logger.Warn("--demo ignored: the database already has users; demo data is only added to an empty database")
		}
		return nil, nil
	}
	if demo {
		products, err := a.Catalog.CountProducts(ctx, app.System)
		if err != nil {
			return nil, err
		}
		if products == 0 {
			return createDemo(ctx, env, a, bdb, logger)
		}
		logger.Warn("--demo adds no data: the database already has products", "products", products)
	}
	pw, err := a.Users.EnsureAdmin(ctx)
	if app.ErrorCode(err) == app.ECONFLICT {
		// Another replica starting at the same time created the admin.
		return nil, nil
	}
	if err != nil || pw == "" {
		return nil, err
	}
	logger.Info("created the first user", "username", "admin", "role", db.RoleAdmin)
	return &login{username: "admin", password: pw}, nil
}

// createDemo fills an empty database with demo data and creates the demo
// admin login.
func createDemo(ctx context.Context, env *Env, a *app.App, bdb *db.DB, logger *slog.Logger) (*login, error) {
	logger.Info("creating demo data", "products", 300, "days", 730)
	start := time.Now()
	if err := a.Settings.InitShop(ctx, app.DemoShop()); err != nil {
		return nil, err
	}
	shop, err := a.Settings.Shop(ctx)
	if err != nil {
		return nil, err
	}
	progress, finish := demoProgress(env.Stderr)
	sum, err := seed.Demo(ctx, bdb, shop.Location, progress)
	finish()
	if err != nil {
		return nil, fmt.Errorf("create demo data: %w", err)
	}
	logger.Info("demo data created", "products", sum.Products, "sales", sum.Sales,
		"first_day", sum.FirstDay, "last_day", sum.LastDay, "elapsed", time.Since(start).Round(time.Millisecond).String())

	pw, err := app.RandomPassword()
	if err != nil {
		return nil, err
	}
	role := db.RoleAdmin
	_, err = a.Users.CreateUser(ctx, app.System, app.UserInput{
		Username:    app.Ptr(demoUsername),
		DisplayName: app.Ptr("Demo Admin"),
		Role:        &role,
		Password:    &pw,
	})
	if err != nil {
		return nil, fmt.Errorf("create demo user: %w", err)
	}
	logger.Info("created the demo user", "username", demoUsername, "role", role)
	return &login{username: demoUsername, password: pw}, nil
}

// demoProgress returns a progress callback for seeding and a function to
// call when seeding ends. The bar is drawn on w only when w is a terminal
// (progressbar redraws with \r even into files and pipes).
func demoProgress(w io.Writer) (func(done, total int), func()) {
	if !fdIsTerminal(w) {
		return nil, func() {}
	}
	var bar *progressbar.ProgressBar
	update := func(done, total int) {
		if bar == nil {
			bar = progressbar.NewOptions(total,
				progressbar.OptionSetWriter(w),
				progressbar.OptionSetDescription("demo data"),
				progressbar.OptionShowCount(),
				progressbar.OptionSetWidth(30),
				progressbar.OptionThrottle(100*time.Millisecond),
				progressbar.OptionClearOnFinish())
		}
		_ = bar.Set(done)
	}
	finish := func() {
		if bar != nil {
			_ = bar.Finish()
		}
	}
	return update, finish
}

// newLogger returns the server's logger on w: human-readable text on a
// terminal, JSON lines otherwise (for log collectors).
func newLogger(w io.Writer) *slog.Logger {
	if fdIsTerminal(w) {
		return slog.New(slog.NewTextHandler(w, nil))
	}
	return slog.New(slog.NewJSONHandler(w, nil))
}

// serverURL is the URL to open for a listener bound to addr: an
// unspecified host (":8080", "0.0.0.0", "::") becomes localhost.
func serverURL(addr net.Addr) string {
	host, port := "localhost", ""
	if tcp, ok := addr.(*net.TCPAddr); ok {
		port = strconv.Itoa(tcp.Port)
		if tcp.IP != nil && !tcp.IP.IsUnspecified() {
			host = tcp.IP.String()
		}
	} else if h, p, err := net.SplitHostPort(addr.String()); err == nil {
		port = p
		if ip := net.ParseIP(h); h != "" && (ip == nil || !ip.IsUnspecified()) {
			host = h
		}
	}
	return "http://" + net.JoinHostPort(host, port) + "/"
}
