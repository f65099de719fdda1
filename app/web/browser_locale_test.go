package web

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"smartinventory/app"
)

// TestBrowserSpanishDashboard signs in as a user whose language is Spanish
// in a shop in euros and looks at the dashboard at 1440 px and on a phone
// (390×844), with screenshots of both and no console errors.
func TestBrowserSpanishDashboard(t *testing.T) {
	s := newSeededServer(t, Config{})
	ctx := context.Background()
	for k, v := range map[string]string{app.SettingShopLanguage: "es", app.SettingShopCurrency: "EUR", app.SettingShopTimeZone: "Europe/Madrid"} {
		if err := s.app.Settings.Set(ctx, app.System, k, v); err != nil {
			t.Fatal(err)
		}
	}
	b := newBrowser(t, s.URL)
	b.do("open", chromedp.Navigate(s.URL+"/"), chromedp.WaitVisible(css(`[data-testid="login-form"]`)))
	b.do("sign in",
		chromedp.SendKeys(css("#username"), "admin"),
		chromedp.SendKeys(css("#password"), testPassword),
		chromedp.Click(css(`[data-testid="login-submit"]`)),
		chromedp.WaitVisible(css(`[data-testid="dashboard"]`)))
	b.do("choose Spanish", chromedp.Click(css(`[data-testid="language-es"]`)), chromedp.WaitVisible(css(`[data-testid="flash-success"]`)))
	for _, size := range []struct {
		name string
		w, h int64
	}{{"1440", 1440, 900}, {"390", 390, 844}} {
		b.do("viewport "+size.name, chromedp.EmulateViewport(size.w, size.h), chromedp.Navigate(s.URL+"/"),
			chromedp.WaitVisible(css(`[data-testid="chart-sales"] img`)))
		if got := b.text(`[data-testid="kpi-inventory-value"] p`); !strings.Contains(strings.ToLower(got), "valor del inventario") {
			t.Errorf("%s px: inventory card label %q, want Spanish", size.name, got)
		}
		if got := b.text(`[data-testid="kpi-inventory-value-value"]`); !strings.HasSuffix(got, "€") || !strings.Contains(got, ",") {
			t.Errorf("%s px: inventory value %q, want euros as 1.234,56 €", size.name, got)
		}
		if lang := eval[string](b, `document.documentElement.lang`); lang != "es" {
			t.Errorf("%s px: <html lang=%q>", size.name, lang)
		}
		b.shot("dashboard-es-" + size.name)
	}
	b.checkConsole()
}
