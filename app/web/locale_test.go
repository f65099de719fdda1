package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"smartinventory/app"
	"smartinventory/db"
)

// The UI speaks the language of Accept-Language when it is one of its
// own, else the shop's, and shows money in the shop's currency in the
// reader's format.
func TestLanguageAndMoneyFollowTheReaderAndTheShop(t *testing.T) {
	s := newTestServer(t, Config{})
	ctx := context.Background()
	s.user(t, "ana", db.RoleManager)
	for k, v := range map[string]string{app.SettingShopLanguage: "es", app.SettingShopCurrency: "EUR", app.SettingShopTimeZone: "Europe/Madrid"} {
		if err := s.app.Settings.Set(ctx, app.System, k, v); err != nil {
			t.Fatal(err)
		}
	}
	cost := db.Money(123456)
	if _, err := s.app.Catalog.CreateProduct(ctx, app.System, app.ProductInput{SKU: app.Ptr("EUR-1"), Name: app.Ptr("Tornillos"),
		UnitCost: &cost, UnitPrice: app.Ptr(db.Money(200000)), Stock: app.Ptr(int64(1))}); err != nil {
		t.Fatal(err)
	}

	_, _, login := s.client(t).get("/login")
	for _, want := range []string{`<html lang="es"`, "Iniciar sesión", "Contraseña"} {
		if !strings.Contains(login, want) {
			t.Errorf("login page of a Spanish shop lacks %q", want)
		}
	}

	c := s.login(t, "ana")
	status, h, es := c.get("/")
	if status != http.StatusOK {
		t.Fatalf("dashboard: %d", status)
	}
	for _, want := range []string{`<html lang="es"`, "Cifras clave", "Valor del inventario", "1.234,56\u00a0€", "1 producto activo a coste", ">Productos</a>", "Cerrar sesión", "gerente"} {
		if !strings.Contains(es, want) {
			t.Errorf("Spanish dashboard lacks %q", want)
		}
	}
	if !strings.Contains(strings.Join(h.Values("Vary"), ","), "Accept-Language") {
		t.Errorf("Vary = %v, want Accept-Language in it", h.Values("Vary"))
	}

	_, _, en := c.get("/", "Accept-Language", "en-US,en;q=0.9")
	for _, want := range []string{`<html lang="en"`, "Key figures", "Inventory value", "€1,234.56", "1 active product at cost", "Log out"} {
		if !strings.Contains(en, want) {
			t.Errorf("English dashboard (Accept-Language en-US) lacks %q", want)
		}
	}

	status, _, _ = c.post("/settings", url.Values{"four_eyes": {"false"}})
	if status != http.StatusSeeOther {
		t.Fatalf("save settings: %d", status)
	}
	if _, _, page := c.get("/settings"); !strings.Contains(page, "Ajustes guardados.") {
		t.Error("the flash after saving the settings is not in Spanish")
	}

	// The profile's language wins over the browser's and the shop's.
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/account/language", strings.NewReader(url.Values{"language": {"en"}, "_csrf": {c.csrf}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Referer", s.URL+"/products?q=x")
	status, h, _ = c.do(req)
	if status != http.StatusSeeOther || h.Get("Location") != "/products?q=x" {
		t.Fatalf("set language: %d to %q, want 303 to /products?q=x", status, h.Get("Location"))
	}
	if _, _, page := c.get("/", "Accept-Language", "es-ES"); !strings.Contains(page, "Key figures") || !strings.Contains(page, "Language changed.") {
		t.Error("after choosing English the dashboard is not in English (with Accept-Language es)")
	}
	if status, _, _ := c.post("/account/language", url.Values{"language": {"fr"}}); status != http.StatusBadRequest {
		t.Errorf("language fr: status %d, want 400", status)
	}
	if u, _ := s.app.Users.UserByName(ctx, app.System, "ana"); u == nil || u.Language != "en" {
		t.Errorf("stored language = %+v", u)
	}
}
