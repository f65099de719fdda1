package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/db/seed"
)

// runBench runs the benchmark: setup, servers, scenarios, report.
func runBench(ctx context.Context, env *Env, dsn string, o benchOptions) (err error) {
	logf := func(format string, args ...any) { fmt.Fprintf(env.Stderr, "bench: "+format+"\n", args...) }
	rep := &benchReport{Products: o.products, Days: o.days, Replicas: o.replicas, Concurrency: o.concurrency,
		Duration: o.duration.String(), CPUs: runtime.NumCPU(), GoVersion: runtime.Version(),
		RSSMeaning: "server: VmHWM of each server process over its life (start, sign-in, scenarios), read before stopping it; " +
			"bench: VmHWM of the bench process (the load generator) during the scenarios, reset after setup"}

	bdb, serverDSN, desc, cleanup, err := openBenchDB(ctx, dsn)
	if err != nil {
		return cliError(err)
	}
	defer cleanup()
	rep.Database, rep.engine = desc, "SQLite"
	switch {
	case db.IsPostgres(bdb):
		rep.engine = "PostgreSQL"
	case db.IsMySQL(bdb):
		rep.engine = "MySQL"
	}

	logf("seeding %s: %d products × %d days", desc, o.products, o.days)
	start := time.Now()
	sum, err := seed.Generate(ctx, bdb, seed.Options{Products: o.products, Days: o.days, Seed: o.seed}, nil)
	if err != nil {
		return cliError(fmt.Errorf("bench: seed: %w", err))
	}
	rep.Sales, rep.SeedSeconds = sum.Sales, time.Since(start).Seconds()
	logf("seeded %d sales in %.1fs", sum.Sales, rep.SeedSeconds)

	a := app.New(bdb, app.Options{AnalyticsMaxStale: 30 * time.Second})
	st, password, err := prepareBench(ctx, a, bdb)
	if err != nil {
		return cliError(err)
	}
	logf("forecast batch…")
	status, err := a.Forecasts.RefreshAll(ctx, app.System, nil)
	if err != nil {
		return cliError(fmt.Errorf("bench: forecast batch: %w", err))
	}
	rep.ForecastSecs = status.Seconds
	logf("forecast batch: %d products in %.1fs", status.Done, status.Seconds)

	// The servers, as serve runs them, with their output in log files that
	// are kept when bench fails (not when it is interrupted). They are
	// stopped before the logs are read or removed (defers run last in,
	// first out).
	logDir, err := os.MkdirTemp("", "smartinventory-bench-logs-")
	if err != nil {
		return cliError(fmt.Errorf("bench: temporary directory: %w", err))
	}
	defer func() {
		if err != nil && !errors.Is(err, context.Canceled) {
			logf("server logs kept in %s", logDir)
			return
		}
		_ = os.RemoveAll(logDir)
	}()
	var servers []*benchServer
	defer func() {
		for _, s := range servers {
			s.halt()
		}
	}()
	for i := range o.replicas {
		s, err := startBenchServer(ctx, o.serverBin, i+1, serverDSN, logDir, o.serverArgs(i+1))
		if err != nil {
			return cliError(err)
		}
		servers = append(servers, s)
		st.bases = append(st.bases, s.base)
		logf("server %d: pid %d on %s", s.replica, s.cmd.Process.Pid, s.addr)
	}

	if err := st.signIn(ctx, benchUser, password); err != nil {
		return cliError(err)
	}
	if err := st.preparePoll(ctx); err != nil {
		return cliError(err)
	}
	for _, s := range servers {
		rep.Servers = append(rep.Servers, benchServerReport{Replica: s.replica, PID: s.cmd.Process.Pid, Addr: s.addr,
			ReadyRSS: procStatusBytes(s.cmd.Process.Pid, "VmRSS")})
	}

	runtime.GC()
	debug.FreeOSMemory()
	rep.BenchSetupRSS = procStatusBytes(0, "VmRSS")
	resetPeakRSS()

	for _, sc := range scenarios() {
		if len(o.scenarios) > 0 && !slices.Contains(o.scenarios, sc.name) {
			continue
		}
		if err := ctx.Err(); err != nil {
			return cliError(err)
		}
		for _, s := range servers {
			if err := s.running(); err != nil {
				return cliError(err)
			}
		}
		logf("scenario %s: %s for %s at concurrency %d", sc.name, sc.request, o.duration, o.concurrency)
		res := attack(ctx, sc, st, o)
		if sc.name == "poll" {
			res.Note = st.pollNote
		}
		logf("  %.0f req/s, p50 %s, p99 %s, errors %d", res.RPS, res.P50, res.P99, res.Errors)
		rep.Scenarios = append(rep.Scenarios, res)
		for i, n := range res.PerReplica {
			rep.Servers[i].Requests += n
		}
	}
	if err := ctx.Err(); err != nil {
		return cliError(err)
	}
	rep.BenchPeakRSS = procStatusBytes(0, "VmHWM")

	// Each server's figures, then a clean stop (SIGTERM, drain).
	for i, s := range servers {
		if err := s.running(); err != nil {
			return cliError(err)
		}
		sr := &rep.Servers[i]
		sr.PeakRSS = procStatusBytes(s.cmd.Process.Pid, "VmHWM")
		rep.ServerPeakRSS = max(rep.ServerPeakRSS, sr.PeakRSS)
		sr.SalesRecorded = scrapeSales(ctx, s.base)
		if sr.SalesRecorded < 0 || rep.SalesRecorded < 0 {
			rep.SalesRecorded = -1
		} else {
			rep.SalesRecorded += sr.SalesRecorded
		}
	}
	if rep.ServerPeakRSS > 0 {
		met := rep.ServerPeakRSS < benchRSSTarget
		rep.ServerRSSMet = &met
	}
	for i, s := range servers {
		s.halt()
		rep.Servers[i].Exit = s.cmd.ProcessState.String()
		if !s.cmd.ProcessState.Success() {
			logf("server %d did not stop cleanly (%s)%s", s.replica, s.cmd.ProcessState, s.logTail())
		}
	}
	left := 20
	for _, s := range servers {
		left = s.forwardProblems(env.Stderr, left)
	}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		rep.LoadAverage = strings.Join(strings.Fields(string(b))[:3], " ")
	}
	return printBench(env, rep)
}
