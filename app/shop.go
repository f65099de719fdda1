package app

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // validate IANA zones the same way on every machine

	"github.com/uptrace/bun"
	"golang.org/x/text/currency"
	"golang.org/x/text/language"

	"smartinventory/db"
)

// Shop settings keys.
const (
	SettingShopName     = "shop.name"
	SettingShopCurrency = "shop.currency" // ISO 4217, e.g. "EUR"
	// SettingShopTimeZone is the IANA zone whose calendar days are the
	// shop's days (rollup, KPIs, trends, forecasts, order-by dates).
	// Changing it rebuilds the daily rollup.
	SettingShopTimeZone     = db.SettingTimeZone
	SettingShopLanguage     = "shop.language"      // "es" or "en": the default language of the UI
	SettingShopFirstWeekday = "shop.first_weekday" // "monday" … "sunday"
)

// Languages are the languages of the UI.
var Languages = []string{"es", "en"}

// Shop is the shop's identity and locale.
type Shop struct {
	Name         string         `json:"name"`
	Currency     string         `json:"currency"`
	TimeZone     string         `json:"time_zone"`
	Language     string         `json:"language"`
	FirstWeekday time.Weekday   `json:"first_weekday"`
	Location     *time.Location `json:"-"`
}

// ShopDefaults are the shop settings proposed on first run: the language
// and currency of the server's locale (LC_ALL, LC_MONETARY, LANG), the
// server's time zone (TZ, /etc/localtime).
func ShopDefaults() Shop { return shopDefaults() }

var shopDefaults = sync.OnceValue(func() Shop {
	return defaultsFor(envLocale(), serverTimeZone())
})

// DemoShop is the shop of `serve --demo`: a Spanish shop in Madrid.
func DemoShop() Shop {
	return Shop{Name: "Tienda de demostración", Currency: "EUR", TimeZone: "Europe/Madrid", Language: "es", FirstWeekday: time.Monday}
}

func defaultsFor(locale, zone string) Shop {
	s := Shop{Name: "Smart Inventory", Language: "en", Currency: "USD", TimeZone: zone, FirstWeekday: time.Monday}
	tag, err := language.Parse(strings.ReplaceAll(strings.SplitN(strings.SplitN(locale, ".", 2)[0], "@", 2)[0], "_", "-"))
	if err != nil || locale == "" || locale == "C" || locale == "POSIX" {
		return s
	}
	if base, _ := tag.Base(); base.String() == "es" {
		s.Language, s.Currency = "es", "EUR"
	}
	if region, conf := tag.Region(); conf == language.Exact {
		if cur, ok := currency.FromRegion(region); ok {
			s.Currency = cur.String()
		}
		if region.String() == "US" || region.String() == "CA" || region.String() == "MX" {
			s.FirstWeekday = time.Sunday
		}
	}
	return s
}

func envLocale() string {
	for _, k := range []string{"LC_ALL", "LC_MONETARY", "LANG"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return ""
}

// serverTimeZone is the IANA name of the server's zone ("UTC" when it has
// none that time.LoadLocation knows).
func serverTimeZone() string {
	if tz := strings.TrimPrefix(os.Getenv("TZ"), ":"); tz != "" {
		if _, err := time.LoadLocation(tz); err == nil && tz != "Local" {
			return tz
		}
	}
	if target, err := filepath.EvalSymlinks("/etc/localtime"); err == nil {
		if i := strings.Index(target, "zoneinfo/"); i >= 0 {
			if name := target[i+len("zoneinfo/"):]; validZone(name) {
				return name
			}
		}
	}
	if b, err := os.ReadFile("/etc/timezone"); err == nil {
		if name := strings.TrimSpace(string(b)); validZone(name) {
			return name
		}
	}
	return "UTC"
}

func validZone(name string) bool {
	if name == "" || name == "Local" {
		return false
	}
	_, err := time.LoadLocation(name)
	return err == nil
}

var weekdays = map[string]time.Weekday{"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday,
	"wednesday": time.Wednesday, "thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday}

func weekdayName(d time.Weekday) string { return strings.ToLower(d.String()) }

// validateShopSetting checks a shop.* value; ok is false for other keys.
// norm is the value to store (e.g. the currency upper-cased).
func validateShopSetting(key, value string) (norm string, ok bool, err error) {
	bad := func(msg string) error {
		return &Error{Code: EINVALID, Message: "Validation failed.", Fields: []FieldError{{Field: "value", Message: msg}}}
	}
	switch key {
	case SettingShopName:
		v := strings.TrimSpace(value)
		if v == "" || len([]rune(v)) > 100 {
			return "", true, bad("shop name must be 1 to 100 characters")
		}
		return v, true, nil
	case SettingShopCurrency:
		v := strings.ToUpper(strings.TrimSpace(value))
		cur, err := currency.ParseISO(v)
		if err != nil || len(v) != 3 || cur.String() != v {
			return "", true, bad(fmt.Sprintf("unknown currency %q: use an ISO 4217 code such as EUR or USD", value))
		}
		return v, true, nil
	case SettingShopTimeZone:
		v := strings.TrimSpace(value)
		if !validZone(v) {
			return "", true, bad(fmt.Sprintf("unknown time zone %q: use an IANA name such as Europe/Madrid", value))
		}
		return v, true, nil
	case SettingShopLanguage:
		v := strings.ToLower(strings.TrimSpace(value))
		for _, l := range Languages {
			if v == l {
				return v, true, nil
			}
		}
		return "", true, bad(fmt.Sprintf("unknown language %q: use es or en", value))
	case SettingShopFirstWeekday:
		v := strings.ToLower(strings.TrimSpace(value))
		if _, ok := weekdays[v]; !ok {
			return "", true, bad(fmt.Sprintf("unknown weekday %q: use monday … sunday", value))
		}
		return v, true, nil
	}
	return "", false, nil
}

// shopCache holds the shop settings this process uses for every local day;
// Settings.Set replaces it when a shop setting changes.
type shopCache struct {
	mu   sync.Mutex
	shop *Shop
}

func (c *shopCache) get() *Shop {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.shop
}

func (c *shopCache) set(s *Shop) {
	c.mu.Lock()
	c.shop = s
	c.mu.Unlock()
}

// loadShop reads the shop settings. Unset ones (before the first `serve`
// stores ShopDefaults) are those of defaultsFor("", "UTC"): an English
// shop in US dollars, in UTC, the zone of a rollup built before the setting
// existed.
func loadShop(ctx context.Context, idb bun.IDB) (*Shop, error) {
	var stored []db.Setting
	if err := idb.NewSelect().Model(&stored).Where(`"key" LIKE 'shop.%'`).Scan(ctx); err != nil {
		return nil, fmt.Errorf("read the shop settings: %w", err)
	}
	s := new(Shop)
	*s = defaultsFor("", "UTC")
	for _, st := range stored {
		switch st.Key {
		case SettingShopName:
			s.Name = st.Value
		case SettingShopCurrency:
			s.Currency = st.Value
		case SettingShopTimeZone:
			s.TimeZone = st.Value
		case SettingShopLanguage:
			s.Language = st.Value
		case SettingShopFirstWeekday:
			if wd, ok := weekdays[st.Value]; ok {
				s.FirstWeekday = wd
			}
		}
	}
	loc, err := time.LoadLocation(s.TimeZone)
	if err != nil {
		return nil, fmt.Errorf("shop time zone %q: %w", s.TimeZone, err)
	}
	s.Location = loc
	return s, nil
}

// shop returns the cached shop settings, reading them on first use.
func (b *base) shop(ctx context.Context) (*Shop, error) { return b.shopIn(ctx, b.db) }

// shopIn is shop reading through idb (a transaction's own connection) when
// the settings are not cached.
func (b *base) shopIn(ctx context.Context, idb bun.IDB) (*Shop, error) {
	if s := b.shopC.get(); s != nil {
		return s, nil
	}
	s, err := loadShop(ctx, idb)
	if err != nil {
		return nil, err
	}
	b.shopC.set(s)
	return s, nil
}

// location is the shop's time zone.
func (b *base) location(ctx context.Context) (*time.Location, error) {
	s, err := b.shop(ctx)
	if err != nil {
		return nil, err
	}
	return s.Location, nil
}

// today is the shop's current local day (see db.LocalDay).
func (b *base) today(ctx context.Context) (time.Time, error) {
	loc, err := b.location(ctx)
	if err != nil {
		return time.Time{}, err
	}
	return db.LocalDay(b.now(), loc), nil
}

// Shop returns the shop's settings (anyone signed in may read them: every
// page shows money and days in them).
func (s *Settings) Shop(ctx context.Context) (*Shop, error) { return s.shop(ctx) }

// InitShop stores the first-run shop settings that are still unset: want's
// values, except that the time zone of a database that already has sales
// stays UTC (the zone its rollup was built in) until a manager changes it.
func (s *Settings) InitShop(ctx context.Context, want Shop) error {
	vals := map[string]string{SettingShopName: want.Name, SettingShopCurrency: want.Currency,
		SettingShopTimeZone: want.TimeZone, SettingShopLanguage: want.Language,
		SettingShopFirstWeekday: weekdayName(want.FirstWeekday)}
	err := s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		var stored []db.Setting
		if err := tx.NewSelect().Model(&stored).Where(`"key" LIKE 'shop.%'`).Scan(ctx); err != nil {
			return fmt.Errorf("read the shop settings: %w", err)
		}
		for _, st := range stored {
			delete(vals, st.Key)
		}
		if _, ok := vals[SettingShopTimeZone]; ok {
			n, err := tx.NewSelect().Model((*db.Sale)(nil)).Limit(1).Count(ctx)
			if err != nil {
				return fmt.Errorf("count sales: %w", err)
			}
			if n > 0 {
				vals[SettingShopTimeZone] = "UTC"
			}
		}
		for _, k := range shopKeys {
			v, ok := vals[k]
			if !ok {
				continue
			}
			norm, _, err := validateShopSetting(k, v)
			if err != nil {
				return fmt.Errorf("first-run setting %s=%q: %w", k, v, err)
			}
			st := &db.Setting{Key: k, Value: norm, UpdatedAt: s.now()}
			if _, err := tx.NewInsert().Model(st).Exec(ctx); err != nil {
				return fmt.Errorf("save setting %s: %w", k, err)
			}
		}
		return nil
	})
	s.shopC.set(nil)
	if db.IsUniqueViolation(err) {
		return nil // another replica stored them first
	}
	return err
}

var shopKeys = []string{SettingShopName, SettingShopCurrency, SettingShopTimeZone, SettingShopLanguage, SettingShopFirstWeekday}

// rebuildDaily recomputes the whole daily rollup from the sales in loc's
// days, inside the caller's transaction.
func rebuildDaily(ctx context.Context, tx bun.Tx, loc *time.Location) error {
	agg, err := db.AggregateDailySales(ctx, tx, loc)
	if err != nil {
		return err
	}
	if _, err := tx.NewDelete().Model((*db.DailySales)(nil)).Where("1 = 1").Exec(ctx); err != nil {
		return fmt.Errorf("clear the daily rollup: %w", err)
	}
	rows := make([]db.DailySales, 0, len(agg))
	for _, d := range agg {
		rows = append(rows, *d)
	}
	if len(rows) == 0 {
		return nil
	}
	return upsertDailyChunks(ctx, tx, rows)
}

// loadDemand is LoadDemand in the shop's days.
func (b *base) loadDemand(ctx context.Context, idb bun.IDB, q DemandQuery) (map[int64]*DemandSeries, error) {
	if q.Location == nil {
		loc, err := b.location(ctx)
		if err != nil {
			return nil, err
		}
		q.Location = loc
	}
	return LoadDemand(ctx, idb, q)
}
