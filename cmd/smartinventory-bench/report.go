package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"smartinventory/cli"
)

// benchResult is one scenario's figures.
type benchResult struct {
	Scenario    string         `json:"scenario"`
	Request     string         `json:"request"`
	Requests    uint64         `json:"requests"`
	PerReplica  []uint64       `json:"requests_per_replica"`
	Seconds     float64        `json:"seconds"`
	RPS         float64        `json:"req_per_s"`
	SalesPerSec float64        `json:"sales_per_s,omitempty"`
	P50         time.Duration  `json:"p50_ns"`
	P99         time.Duration  `json:"p99_ns"`
	Max         time.Duration  `json:"max_ns"`
	Errors      uint64         `json:"errors"`
	StatusCodes map[string]int `json:"status_codes"`
	FirstError  string         `json:"first_error,omitempty"`
	Target      string         `json:"target,omitempty"`
	Met         *bool          `json:"target_met,omitempty"`
	Note        string         `json:"note,omitempty"`
}

// benchServerReport is one server process's figures.
type benchServerReport struct {
	Replica       int     `json:"replica"` // 1, 2, …
	PID           int     `json:"pid"`
	Addr          string  `json:"addr"`
	ReadyRSS      int64   `json:"rss_when_ready_bytes"` // VmRSS after the sign-in, before the scenarios
	PeakRSS       int64   `json:"peak_rss_bytes"`       // VmHWM after the scenarios
	Requests      uint64  `json:"requests"`             // of the scenarios
	SalesRecorded float64 `json:"sales_recorded_metric"`
	Exit          string  `json:"exit"` // how the process ended, "exit status 0" after a clean drain
}

// benchReport is everything bench prints.
type benchReport struct {
	Database      string              `json:"database"`
	Products      int                 `json:"products"`
	Days          int                 `json:"days"`
	Sales         int                 `json:"seeded_sales"`
	SeedSeconds   float64             `json:"seed_seconds"`
	ForecastSecs  float64             `json:"forecast_batch_seconds"`
	Replicas      int                 `json:"replicas"`
	Concurrency   int                 `json:"concurrency"`
	Duration      string              `json:"duration_per_scenario"`
	CPUs          int                 `json:"cpus"`
	GoVersion     string              `json:"go_version"`
	ServerPeakRSS int64               `json:"server_peak_rss_bytes"`
	ServerRSSMet  *bool               `json:"server_rss_target_met,omitempty"`
	Servers       []benchServerReport `json:"servers"`
	BenchSetupRSS int64               `json:"bench_rss_after_setup_bytes"`
	BenchPeakRSS  int64               `json:"bench_peak_rss_bytes"`
	SalesRecorded float64             `json:"sales_recorded_metric"`
	LoadAverage   string              `json:"load_average,omitempty"`
	Scenarios     []benchResult       `json:"scenarios"`
	RSSMeaning    string              `json:"rss_meaning"`

	engine string // "SQLite" or "PostgreSQL"
}

// printBench writes the report as a table (with a summary below) or JSON.
func printBench(env *Env, rep *benchReport) error {
	if env.Output == cli.OutputJSON {
		return cli.WriteJSON(env.Stdout, rep)
	}
	cols := []cli.Column[benchResult]{
		{Header: "SCENARIO", Value: func(r benchResult) string { return r.Scenario }},
		{Header: "REQUESTS", Right: true, Value: func(r benchResult) string { return strconv.FormatUint(r.Requests, 10) }},
	}
	if len(rep.Servers) > 1 {
		cols = append(cols, cli.Column[benchResult]{Header: "PER REPLICA", Right: true, Value: func(r benchResult) string {
			parts := make([]string, len(r.PerReplica))
			for i, n := range r.PerReplica {
				parts[i] = strconv.FormatUint(n, 10)
			}
			return strings.Join(parts, "/")
		}})
	}
	cols = append(cols, []cli.Column[benchResult]{
		{Header: "REQ/S", Right: true, Value: func(r benchResult) string { return strconv.FormatFloat(r.RPS, 'f', 0, 64) }},
		{Header: "P50", Right: true, Value: func(r benchResult) string { return benchMillis(r.P50) }},
		{Header: "P99", Right: true, Value: func(r benchResult) string { return benchMillis(r.P99) }},
		{Header: "ERRORS", Right: true, Value: func(r benchResult) string { return strconv.FormatUint(r.Errors, 10) }},
		{Header: "STATUS", Value: func(r benchResult) string { return benchCodes(r.StatusCodes) }},
		{Header: "TARGET", Value: func(r benchResult) string {
			switch {
			case r.Met == nil:
				return ""
			case *r.Met:
				return "met (" + r.Target + ", p99 < 20ms)"
			}
			return "MISSED (" + r.Target + ", p99 < 20ms)"
		}},
		{Header: "NOTE", Value: func(r benchResult) string {
			notes := []string{}
			if r.SalesPerSec > 0 {
				notes = append(notes, strconv.FormatFloat(r.SalesPerSec, 'f', 0, 64)+" sales/s")
			}
			if r.Note != "" {
				notes = append(notes, r.Note)
			}
			if r.FirstError != "" {
				notes = append(notes, "first error: "+r.FirstError)
			}
			return strings.Join(notes, "; ")
		}},
	}...)
	if err := cli.WriteTable(env.Stdout, rep.Scenarios, cols); err != nil {
		return err
	}

	servers := "1 replica (a separate process)"
	if rep.Replicas > 1 {
		servers = fmt.Sprintf("%d replicas (separate processes)", rep.Replicas)
	}
	load := "vegeta in the bench process over loopback"
	if rep.Replicas > 1 {
		load += ", round-robin over the replicas"
	}
	serverRSS := "n/a (no /proc)"
	if rep.ServerRSSMet != nil {
		serverRSS = benchMB(rep.ServerPeakRSS) + " peak"
		if rep.Replicas > 1 {
			serverRSS += " (the largest replica)"
		}
		if *rep.ServerRSSMet {
			serverRSS += " — target < 200 MB met"
		} else {
			serverRSS += " — target < 200 MB MISSED"
		}
	}
	var replicas strings.Builder
	for _, s := range rep.Servers {
		fmt.Fprintf(&replicas, "  replica %d:     pid %d on %s: peak %s, %s when ready; %d requests, %.0f sales; %s\n",
			s.Replica, s.PID, s.Addr, benchMB(s.PeakRSS), benchMB(s.ReadyRSS), s.Requests, s.SalesRecorded, s.Exit)
	}
	sales := "from /metrics"
	if rep.Replicas > 1 {
		sales = fmt.Sprintf("from /metrics, summed over the %d replicas", rep.Replicas)
	}
	_, err := fmt.Fprintf(env.Stdout, `
database:        %s
data:            %d products, %d days, %d seeded sales (seeded in %.1fs)
forecast batch:  %.1fs
servers:         %s on one %s database
load:            %d requests in flight, %s per scenario, %s
machine:         %d CPUs, %s, load average %s at the end
server RSS:      %s
%sbench RSS:       %s peak (the load generator; %s after setup)
sales recorded:  %.0f (%s)
`, rep.Database, rep.Products, rep.Days, rep.Sales, rep.SeedSeconds, rep.ForecastSecs,
		servers, rep.engine,
		rep.Concurrency, rep.Duration, load,
		rep.CPUs, rep.GoVersion, rep.LoadAverage,
		serverRSS, replicas.String(), benchMB(rep.BenchPeakRSS), benchMB(rep.BenchSetupRSS),
		rep.SalesRecorded, sales)
	if err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}

// benchMB formats a byte count in whole megabytes ("n/a" for 0: no /proc).
func benchMB(b int64) string {
	if b <= 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.0f MB", float64(b)/(1<<20))
}

// benchMillis formats a latency in milliseconds with two decimals.
func benchMillis(d time.Duration) string {
	return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', 2, 64) + "ms"
}

// benchCodes formats status counts, e.g. "200:5120 500:3".
func benchCodes(codes map[string]int) string {
	keys := make([]string, 0, len(codes))
	for k := range codes {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	parts := make([]string, 0, len(keys))
	for _, k := range keys {
		if k == "0" {
			parts = append(parts, "neterr:"+strconv.Itoa(codes[k]))
			continue
		}
		parts = append(parts, k+":"+strconv.Itoa(codes[k]))
	}
	return strings.Join(parts, " ")
}
