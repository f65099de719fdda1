package web

import (
	"net/http"
	"strings"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"smartinventory/app"
	"smartinventory/db"
	"smartinventory/locale"
	"smartinventory/views"
)

// Dashboard fragment URLs.
const (
	fragKPIs    = "/fragments/dashboard/kpis"
	fragCharts  = "/fragments/dashboard/charts"
	fragRestock = "/fragments/dashboard/restock"
	fragFast    = "/fragments/dashboard/movers/fast"
	fragSlow    = "/fragments/dashboard/movers/slow"
)

// dashboardRestockRows is how many suggestions the dashboard lists.
const dashboardRestockRows = 10

// dashboardMoverRows is how many products each movers table lists.
const dashboardMoverRows = 10

// dashboardRoutes registers the dashboard and its polled fragments.
func (w *Web) dashboardRoutes(r router) {
	r.GET("/", w.handleDashboard, db.RoleViewer)
	r.GET(fragKPIs, w.fragment(func(c echo.Context, v string) (templ.Component, error) {
		m, err := w.kpisModel(c, v)
		return views.DashboardKPIs(m), err
	}), db.RoleViewer)
	r.GET(fragCharts, w.fragment(func(c echo.Context, v string) (templ.Component, error) {
		return views.DashboardCharts(w.chartsModel(c, v)), nil
	}), db.RoleViewer)
	r.GET(fragRestock, w.fragment(func(c echo.Context, v string) (templ.Component, error) {
		m, err := w.restockTableModel(c, v)
		return views.DashboardRestock(m), err
	}), db.RoleViewer)
	r.GET(fragFast, w.fragment(func(c echo.Context, v string) (templ.Component, error) {
		m, err := w.moversModel(c, v, "fast")
		return views.DashboardMovers(m), err
	}), db.RoleViewer)
	r.GET(fragSlow, w.fragment(func(c echo.Context, v string) (templ.Component, error) {
		m, err := w.moversModel(c, v, "slow")
		return views.DashboardMovers(m), err
	}), db.RoleViewer)
}

// dashCache keeps what the dashboard and its charts show, each computed
// once per data version (App.DataVersion), so that rendering the page or
// a changed fragment again costs no queries beyond the version check.
type dashCache struct {
	kpis    versioned[*app.KPIs]
	restock versioned[[]app.RestockLine]
	movers  versioned[map[string][]app.ProductTrend]
	trends  versioned[[]app.ProductTrend]
	sales   salesCache
	svg     versioned[*svgCache] // rendered charts by ETag
}

// handleDashboard renders the dashboard with every fragment inline.
func (w *Web) handleDashboard(c echo.Context) error {
	// The generation before the data: the event stream reports changes
	// committed after it (and so none that the page might miss).
	gen := w.app.Changes.Generation()
	v, err := w.app.DataVersion(c.Request().Context())
	if err != nil {
		return err
	}
	m := views.DashboardModel{Events: eventsURL(gen)}
	if m.KPIs, err = w.kpisModel(c, v); err != nil {
		return err
	}
	m.Charts = w.chartsModel(c, v)
	if m.Restock, err = w.restockTableModel(c, v); err != nil {
		return err
	}
	if m.Fast, err = w.moversModel(c, v, "fast"); err != nil {
		return err
	}
	if m.Slow, err = w.moversModel(c, v, "slow"); err != nil {
		return err
	}
	return w.render(c, http.StatusOK, views.DashboardPage(w.page(c, "Dashboard", "dashboard"), m))
}

// kpisModel builds the KPI cards at data version v.
func (w *Web) kpisModel(c echo.Context, v string) (views.KPIsModel, error) {
	k, err := w.cache.kpis.get(v, func() (*app.KPIs, error) {
		return w.app.Restock.KPIs(c.Request().Context(), actor(c))
	})
	if err != nil {
		return views.KPIsModel{}, err
	}
	return views.KPIsModel{Poll: w.poll(c, fragKPIs, v), Cards: kpiCards(w.localeOf(c), k)}, nil
}

// kpiCards turns the KPIs into cards, in reading order, in l's language
// and formats.
func kpiCards(l *locale.Locale, k *app.KPIs) []views.KPICard {
	bad := func(n int) views.Tone {
		if n > 0 {
			return views.ToneBad
		}
		return views.ToneNeutral
	}
	cards := []views.KPICard{
		{Key: "inventory-value", Label: l.T("Inventory value"), Value: l.Money(k.InventoryValue),
			Note: l.T("%d active products at cost", k.ActiveProducts)},
		{Key: "units", Label: l.T("Units on hand"), Value: l.Int(k.UnitsOnHand)},
		{Key: "below-reorder", Label: l.T("At or below reorder point"), Value: l.Int(int64(k.BelowReorderPoint)),
			ValueTone: bad(k.BelowReorderPoint), Href: "/products?low=1", Note: l.T("products, counting approved orders")},
		{Key: "drafts", Label: l.T("Drafts awaiting approval"), Value: l.Int(int64(k.DraftsAwaiting)),
			ValueTone: bad(k.DraftsAwaiting), Href: "/purchase-orders?status=draft", Note: l.T("purchase orders, not yet on order")},
		{Key: "stockouts-7d", Label: l.T("Stock-outs in 7 days"), Value: l.Int(int64(k.StockoutsNext7Days)),
			ValueTone: bad(k.StockoutsNext7Days), Href: "/restock", Note: l.T("projected, despite open orders")},
	}
	labels := map[string]string{"today": l.T("Sales today"), "7d": l.T("Sales 7 days"), "30d": l.T("Sales 30 days")}
	before := map[string]string{"today": l.T("yesterday until now"), "7d": l.T("the 7 days before"), "30d": l.T("the 30 days before")}
	for _, s := range k.Sales {
		card := views.KPICard{Key: "sales-" + s.Period, Label: labels[s.Period], Value: l.Money(s.Revenue),
			Note: l.T("%s units; %s %s", l.Int(s.Units), before[s.Period], l.Money(s.PreviousRevenue))}
		if card.Label == "" {
			card.Label = l.T("Sales %s", s.Period)
		}
		if s.Change != nil {
			card.Change = l.Change(*s.Change)
			switch {
			case *s.Change > 0:
				card.ChangeTone = views.ToneGood
			case *s.Change < 0:
				card.ChangeTone = views.ToneBad
			}
			card.Note = l.T("vs %s (%s) · %s units", before[s.Period], l.Money(s.PreviousRevenue), l.Int(s.Units))
		}
		cards = append(cards, card)
	}
	cards = append(cards, views.KPICard{Key: "dead-stock", Label: l.T("Dead stock value"), Value: l.Money(k.DeadStockValue),
		ValueTone: bad(k.DeadStockProducts), Href: "/trends#dead-stock",
		Note: l.T("%d products without a sale in 90 days", k.DeadStockProducts)})
	return cards
}

// chartsModel lists the dashboard charts; their URLs carry the fragment's
// version so that a swapped fragment loads the new charts.
func (w *Web) chartsModel(c echo.Context, v string) views.ChartsModel {
	p := w.poll(c, fragCharts, v)
	tag := strings.Trim(p.ETag, `"`)
	m := views.ChartsModel{Poll: p}
	for _, ch := range []struct{ key, title string }{
		{"sales", "Revenue, last 90 days, and forecast"},
		{"top-movers", "Top movers, last 30 days"},
		{"pareto", "ABC Pareto, last 90 days"},
		{"categories", "Revenue by category, last 30 days"},
	} {
		base := "/charts/dashboard/" + ch.key + ".svg"
		m.Charts = append(m.Charts, views.DashboardChart{Key: ch.key, Title: w.t(c, ch.title),
			Src: base + "?v=" + tag, DownloadURL: base + "?download=1"})
	}
	return m
}

// restockLines returns the current suggestions with a quantity, most
// urgent first, cached at data version v.
func (w *Web) restockLines(c echo.Context, v string) ([]app.RestockLine, error) {
	return w.cache.restock.get(v, func() ([]app.RestockLine, error) {
		return w.app.Restock.Suggestions(c.Request().Context(), actor(c), app.RestockFilter{})
	})
}

// restockTableModel builds the most urgent suggestions at version v.
func (w *Web) restockTableModel(c echo.Context, v string) (views.RestockTableModel, error) {
	lines, err := w.restockLines(c, v)
	if err != nil {
		return views.RestockTableModel{}, err
	}
	m := views.RestockTableModel{Poll: w.poll(c, fragRestock, v), Total: len(lines)}
	loc := w.localeOf(c)
	for _, l := range lines[:min(len(lines), dashboardRestockRows)] {
		r := restockRow(l)
		r.Value = loc.Money(l.Value)
		if !l.OrderBy.IsZero() {
			r.OrderBy = loc.Day(l.OrderBy)
		}
		m.Rows = append(m.Rows, r)
	}
	return m, nil
}

// moversModel builds the fast or slow movers table at version v.
func (w *Web) moversModel(c echo.Context, v, kind string) (views.MoversModel, error) {
	all, err := w.cache.movers.get(v, func() (map[string][]app.ProductTrend, error) {
		out := map[string][]app.ProductTrend{}
		for k, sort := range map[string]string{"fast": "units_30d", "slow": "-units_30d"} {
			items, _, err := w.app.Analytics.Trends(c.Request().Context(), actor(c),
				app.TrendFilter{Mover: k, Sort: sort, Limit: dashboardMoverRows})
			if err != nil {
				return nil, err
			}
			out[k] = items
		}
		return out, nil
	})
	if err != nil {
		return views.MoversModel{}, err
	}
	url, title := fragFast, "Fast movers"
	if kind == "slow" {
		url, title = fragSlow, "Slow movers"
	}
	m := views.MoversModel{Poll: w.poll(c, url, v), Kind: kind, Title: w.t(c, title)}
	for _, t := range all[kind] {
		m.Rows = append(m.Rows, moverRow(w.localeOf(c), t))
	}
	return m, nil
}
