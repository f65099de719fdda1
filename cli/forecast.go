package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"smartinventory/forecast"
	"smartinventory/forecast/evaluate"
)

func init() { register(newForecastCmd) }

// newForecastCmd is the parent of the forecasting subcommands.
func newForecastCmd(env *Env) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "forecast",
		Short: "Forecast demand and evaluate the forecasting methods",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return cmd.Help()
		},
	}
	cmd.AddCommand(newForecastEvaluateCmd(env))
	return cmd
}

type evaluateFlags struct {
	input    string
	horizon  int
	season   int
	freq     string
	methods  string
	fillZero bool
	fast     bool
	workers  int
}

func newForecastEvaluateCmd(env *Env) *cobra.Command {
	var fl evaluateFlags
	cmd := &cobra.Command{
		Use:   "evaluate --input FILE.csv",
		Short: "Measure forecast accuracy on series with a holdout",
		Long: `Evaluate forecasts the holdout of every series in a CSV file with each method
and prints mean RMSSE, MASE, seasonal MASE, sMAPE, bias and 80%/95% interval
coverage (M4/M5 definitions).

The CSV has a header with series_id, quantity (empty = missing) and one time
column: date (YYYY-MM-DD), period (YYYY-MM, YYYY-Qn or YYYY) or t (integer
index, give --freq). An optional split column (train/test) marks the holdout;
otherwise it is the last --horizon periods.

Methods: auto, ` + strings.Join(forecast.Methods, ", ") + `.`,
		Example: `  smartinventory forecast evaluate --input carparts.csv
  smartinventory forecast evaluate --input tuna.csv --freq weekly --methods auto,naive,ses,tsb -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runForecastEvaluate(cmd, env, fl)
		},
	}
	f := cmd.Flags()
	f.StringVar(&fl.input, "input", "", "CSV file to evaluate (required; - for standard input)")
	f.IntVar(&fl.horizon, "horizon", 0, "holdout length without a split column (default by frequency: 28/13/12/8/6)")
	f.IntVar(&fl.season, "season", 0, "season length (default by frequency: 7/52/12/4/1)")
	f.StringVar(&fl.freq, "freq", "", "frequency: daily, weekly, monthly, quarterly, yearly (default inferred)")
	f.StringVar(&fl.methods, "methods", "auto,naive,snaive,ses,tsb", "comma-separated methods")
	f.BoolVar(&fl.fillZero, "fill-zero", false, "treat periods absent from the file as zero sales instead of missing")
	f.BoolVar(&fl.fast, "fast", true, "heuristic initial states for exponential smoothing (--fast=false estimates them: slower, about as accurate)")
	f.IntVar(&fl.workers, "workers", 0, "parallel workers (default: all CPUs)")
	return cmd
}

func runForecastEvaluate(cmd *cobra.Command, env *Env, fl evaluateFlags) error {
	if fl.input == "" {
		return usagef("forecast evaluate: --input is required")
	}
	if fl.horizon < 0 || fl.season < 0 || fl.workers < 0 {
		return usagef("forecast evaluate: --horizon, --season and --workers must not be negative")
	}
	switch env.Output {
	case "table", "json", "csv":
	default:
		return usagef("forecast evaluate: unknown --output %q (want table, json or csv)", env.Output)
	}
	ropt := evaluate.ReadOptions{Horizon: fl.horizon, FillZero: fl.fillZero}
	if fl.freq != "" {
		fr, err := forecast.ParseFreq(fl.freq)
		if err != nil {
			return usagef("forecast evaluate: --freq: %v", err)
		}
		ropt.Freq = &fr
	}
	var methods []string
	for _, m := range strings.Split(fl.methods, ",") {
		m = strings.ToLower(strings.TrimSpace(m))
		if m == "" {
			continue
		}
		if m != "auto" {
			if _, err := forecast.NewModel(m, 2, false); err != nil {
				return usagef("forecast evaluate: --methods: %v", err)
			}
		}
		methods = append(methods, m)
	}
	if len(methods) == 0 {
		return usagef("forecast evaluate: --methods is empty")
	}

	var r io.Reader = env.Stdin
	if fl.input != "-" {
		file, err := os.Open(fl.input)
		if err != nil {
			return fmt.Errorf("forecast evaluate: %w", err)
		}
		defer file.Close()
		r = file
	}
	data, err := evaluate.Read(r, ropt)
	if err != nil {
		return fmt.Errorf("forecast evaluate: %s: %w", fl.input, err)
	}
	opt := evaluate.Options{Methods: methods, Period: fl.season, Workers: fl.workers, Fast: fl.fast}
	if isTerminal(env.Stderr) {
		bar := progressbar.NewOptions(len(data.Items),
			progressbar.OptionSetWriter(env.Stderr),
			progressbar.OptionSetDescription("forecasting"),
			progressbar.OptionShowCount(),
			progressbar.OptionClearOnFinish(),
			progressbar.OptionThrottle(100_000_000),
		)
		opt.Progress = func(done, _ int) { _ = bar.Set(done) }
		defer func() { _ = bar.Finish() }()
	}
	rep, err := evaluate.Run(cmd.Context(), data.Items, opt)
	if err != nil {
		return fmt.Errorf("forecast evaluate: %w", err)
	}
	season := fl.season
	if season == 0 {
		season = data.Freq.Season()
	}
	return writeEvaluation(env, rep, data, season)
}

// isTerminal reports whether w is a terminal (progress goes to stderr only
// then).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func writeEvaluation(env *Env, rep *evaluate.Report, data *evaluate.Data, season int) error {
	switch env.Output {
	case "json":
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	case "csv":
		fmt.Fprintln(env.Stdout, "method,rmsse,mase,mase_seasonal,smape,bias,coverage80,coverage95,seconds")
		for _, s := range rep.Methods {
			fmt.Fprintf(env.Stdout, "%s,%.4f,%.4f,%.4f,%.3f,%.4f,%.4f,%.4f,%.3f\n",
				s.Method, s.RMSSE, s.MASE, s.MASESeasonal, s.SMAPE, s.Bias, s.Coverage80, s.Coverage95, s.Seconds)
		}
		return nil
	}
	fmt.Fprintf(env.Stdout, "%d series (%d excluded: zero scale), %s, horizon %d, season %d, %.2f s\n\n",
		rep.Series, rep.Excluded, data.Freq, data.Horizon, season, rep.Seconds)
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "method\tRMSSE\tMASE\tMASE(m)\tsMAPE\tbias\tcover80\tcover95\tseconds\t")
	for _, s := range rep.Methods {
		fmt.Fprintf(tw, "%s\t%.3f\t%.3f\t%.3f\t%.1f\t%+.3f\t%.1f%%\t%.1f%%\t%.2f\t\n",
			s.Method, s.RMSSE, s.MASE, s.MASESeasonal, s.SMAPE, s.Bias, 100*s.Coverage80, 100*s.Coverage95, s.Seconds)
	}
	return tw.Flush()
}
