package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"smartinventory/api"
	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/forecast"
	"smartinventory/forecast/evaluate"
)

func init() { register(newForecastCmd) }

// newForecastCmd shows a product's forecast, runs the forecast batch, and
// is the parent of the evaluate subcommand.
func newForecastCmd(env *Env) *cobra.Command {
	var (
		all     bool
		horizon int
		model   string
	)
	cmd := &cobra.Command{
		Use:   "forecast [SKU]",
		Short: "Forecast a product's demand, refresh all forecasts, or evaluate the methods",
		Long: `forecast SKU prints a product's daily demand forecast with its quantiles,
the model chosen and its backtest accuracy next to seasonal naive's.
forecast --all recomputes and stores the forecast of every active product
(the batch the server also runs at start and nightly).`,
		Example: `  smartinventory forecast SKU-0001 --horizon 14
  smartinventory forecast SKU-0001 --model holt -o json
  smartinventory forecast --all`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			switch {
			case all && len(args) > 0:
				return usagef("forecast: give a SKU or --all, not both")
			case all:
				return runForecastAll(cmd, env)
			case len(args) == 1:
				return runForecastProduct(cmd, env, args[0], model, horizon)
			}
			return cmd.Help()
		},
	}
	f := cmd.Flags()
	f.BoolVar(&all, "all", false, "recompute and store the forecasts of all active products")
	f.IntVar(&horizon, "horizon", 30, "days to show (1-365)")
	f.StringVar(&model, "model", "auto", "model: auto or one of "+strings.Join(forecast.Methods, ", "))
	cmd.AddCommand(newForecastEvaluateCmd(env))
	return cmd
}

// runForecastAll runs the forecast batch with a progress bar on a terminal.
func runForecastAll(cmd *cobra.Command, env *Env) error {
	if err := localOnly(env, "forecast --all"); err != nil {
		return err
	}
	if err := env.checkOutput(); err != nil {
		return err
	}
	bdb, err := env.openDB(cmd.Context())
	if err != nil {
		return err
	}
	defer bdb.Close()
	a := app.New(bdb, app.Options{})
	var progress func(done, total int)
	if fdIsTerminal(env.Stderr) {
		var bar *progressbar.ProgressBar
		progress = func(done, total int) {
			if bar == nil {
				bar = newProgress(env.Stderr, total)
			}
			_ = bar.Set(done)
		}
		defer func() {
			if bar != nil {
				_ = bar.Finish()
			}
		}()
	}
	st, err := a.Forecasts.RefreshAll(cmd.Context(), app.System, progress)
	if err != nil {
		return cliError(err)
	}
	if env.Output == OutputJSON {
		return writeJSON(env.Stdout, st)
	}
	fmt.Fprintf(env.Stdout, "forecast %d products (%d failed) in %.2f s\n", st.Done, st.Failed, st.Seconds)
	return nil
}

// runForecastProduct prints one product's forecast: the cached one for
// --model auto, otherwise computed now with the chosen model.
func runForecastProduct(cmd *cobra.Command, env *Env, sku, model string, horizon int) error {
	if err := env.checkOutput(); err != nil {
		return err
	}
	if horizon < 1 || horizon > 365 {
		return usagef("forecast: --horizon must be between 1 and 365")
	}
	var p *db.Product
	var fr *api.ForecastResponse
	err := env.withBackend(cmd, func(b backend) error {
		var err error
		if p, err = b.ProductBySKU(cmd.Context(), sku); err != nil {
			return err
		}
		fr, err = b.Forecast(cmd.Context(), p.ID, strings.ToLower(model), horizon)
		return err
	})
	if err != nil {
		return err
	}
	points := fr.Points
	if env.Output == OutputJSON {
		return writeJSON(env.Stdout, forecastJSON{ProductID: p.ID, SKU: p.SKU, ForecastResponse: fr})
	}
	if env.Output == OutputTable {
		fmt.Fprintf(env.Stderr, "%s %s: model %s (%s), demand %s; backtest RMSSE %s, MASE %s vs seasonal naive %s, %s\n",
			p.SKU, p.Name, fr.Model, fr.Params, fr.DemandClass, score(fr.Accuracy.RMSSE), score(fr.Accuracy.MASE),
			score(fr.Baseline.RMSSE), score(fr.Baseline.MASE))
	}
	num := func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }
	return render(env, points, points, []Column[api.ForecastPoint]{
		{Header: "DATE", Value: func(r api.ForecastPoint) string { return r.Date }},
		{Header: "MEAN", Key: "point", Right: true, Value: func(r api.ForecastPoint) string { return num(r.Mean) }},
		{Header: "P50", Right: true, Value: func(r api.ForecastPoint) string { return num(r.P50) }},
		{Header: "P80", Right: true, Value: func(r api.ForecastPoint) string { return num(r.P80) }},
		{Header: "P95", Right: true, Value: func(r api.ForecastPoint) string { return num(r.P95) }},
		{Header: "LO95", Right: true, Value: func(r api.ForecastPoint) string { return num(r.Lo95) }},
		{Header: "HI95", Right: true, Value: func(r api.ForecastPoint) string { return num(r.Hi95) }},
	})
}

// forecastJSON is the JSON of forecast SKU: the API's forecast with the SKU.
type forecastJSON struct {
	ProductID int64  `json:"product_id"`
	SKU       string `json:"sku"`
	*api.ForecastResponse
}

// score formats a backtest measure; null (too little history) is "n/a".
func score(v *float64) string {
	if v == nil {
		return "n/a"
	}
	return strconv.FormatFloat(*v, 'f', 3, 64)
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
	regs     string
	noPool   bool
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

--regressors names numeric driver columns (e.g. price,deal,feat): a name
containing "price" is a price (entered as price ÷ the regular price), the
others are promotion flags. Their holdout values are given to the models as
planned values, auto also tries the driver model dynreg, and the driver
effects are shrunk towards the file's pooled effects (--no-pool: not).

Methods: auto, ` + strings.Join(forecast.Methods, ", ") + `.`,
		Example: `  smartinventory forecast evaluate --input carparts.csv
  smartinventory forecast evaluate --input tuna.csv --freq weekly --methods auto,naive,ses,tsb -o json
  smartinventory forecast evaluate --input orange_juice.csv --freq weekly --regressors price,deal,feat`,
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
	f.StringVar(&fl.regs, "regressors", "", "comma-separated numeric driver columns, known for the holdout too (e.g. price,deal,feat)")
	f.BoolVar(&fl.noPool, "no-pool", false, "with --regressors: estimate each series' driver effects alone, without shrinking towards the file's pooled effects")
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
	for _, r := range strings.Split(fl.regs, ",") {
		if r = strings.TrimSpace(r); r != "" {
			ropt.Regressors = append(ropt.Regressors, r)
		}
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
	opt := evaluate.Options{Methods: methods, Period: fl.season, Workers: fl.workers, Fast: fl.fast, NoPool: fl.noPool}
	if fdIsTerminal(env.Stderr) {
		bar := newProgress(env.Stderr, len(data.Items))
		bar.Describe("series")
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
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(rep.Chosen) > 0 {
		var parts []string
		for i, c := range rep.Chosen {
			if i == 8 {
				parts = append(parts, fmt.Sprintf("%d others", len(rep.Chosen)-i))
				break
			}
			parts = append(parts, fmt.Sprintf("%s %d", c.Method, c.Series))
		}
		fmt.Fprintf(env.Stdout, "\nauto chose: %s\n", strings.Join(parts, ", "))
	}
	return nil
}
