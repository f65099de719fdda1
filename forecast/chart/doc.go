// Package chart renders the dashboard and product charts of Smart Inventory
// as SVG with gonum/plot: a product's sales history with its forecast and
// prediction bands, total sales with a forecast band, top movers, the ABC
// Pareto and revenue by category.
//
// Every chart function takes an io.Writer, a plain input struct the web
// layer fills from the services, and a Size, validated by ValidateSize
// (errors wrap ErrBadSize so an HTTP handler can answer 400). The package is
// pure: it imports only the standard library, gonum/plot and the forecast
// packages.
//
// Output is small and self-contained: fonts are not embedded (about 0.5 MB
// per chart otherwise); text names the Liberation Sans family with the
// generic fallbacks Arial, Helvetica and sans-serif, so a browser without
// Liberation draws a sans-serif face with near-identical metrics. Empty or
// non-finite data never fails: a chart with nothing to show renders a valid
// SVG that says "No data". Output is deterministic (no maps iterated, no
// clock read), which the golden-file tests rely on.
//
// # Fonts and plot.DefaultFont
//
// The sans-serif font is resolved once (a sync.Once shared by every chart
// function) and set explicitly on every text style this package draws:
// titles, axis labels, tick labels, legends and annotations. The package
// never writes plot.DefaultFont, so it does not change the look of plots
// drawn elsewhere in the process and is safe to use from many goroutines;
// conversely a program that changes plot.DefaultFont does not change these
// charts.
package chart
