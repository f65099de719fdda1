package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// SettingTimeZone is the settings key of the shop's IANA time zone (e.g.
// "Europe/Madrid"). Unset means UTC: the zone every rollup was computed in
// before the setting existed.
const SettingTimeZone = "shop.time_zone"

// Local days
//
// A shop's day is its local calendar day: a sale at 20:00 in Mexico City on
// a Monday belongs to that Monday, though it is Tuesday in UTC. Every
// computation of "the day of an instant" goes through LocalDay, so the sale
// path, the CSV import, the rollup rebuild, the check, the KPIs and the
// forecasts agree.
//
// A day is represented as midnight UTC of the local calendar date, so that
// day arithmetic (AddDate, Sub/24h, Weekday) is exact whatever the zone's
// daylight-saving rules.

// LocalDay returns the calendar day of t in loc (nil: UTC), as midnight UTC
// of that date.
func LocalDay(t time.Time, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// DayOf is LocalDay formatted as DayLayout (the daily_sales.day key).
func DayOf(t time.Time, loc *time.Location) string {
	return LocalDay(t, loc).Format(DayLayout)
}

// DayStart is the instant at which day (a LocalDay value) begins in loc.
func DayStart(day time.Time, loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := day.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// ShopLocation reads the shop's time zone from the settings (UTC when unset).
func ShopLocation(ctx context.Context, idb bun.IDB) (*time.Location, error) {
	var v string
	err := idb.NewSelect().Model((*Setting)(nil)).Column("value").Where(`"key" = ?`, SettingTimeZone).Scan(ctx, &v)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && v == "") {
		return time.UTC, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read the shop's time zone: %w", err)
	}
	loc, err := time.LoadLocation(v)
	if err != nil {
		return nil, fmt.Errorf("shop time zone %q: %w", v, err)
	}
	return loc, nil
}

// DailyKey identifies a daily_sales row.
type DailyKey struct {
	ProductID int64
	Day       string
}

// AggregateDailySales sums the non-voided sales per product and local day
// in loc: what daily_sales must hold. It streams the sales once.
func AggregateDailySales(ctx context.Context, idb bun.IDB, loc *time.Location) (map[DailyKey]*DailySales, error) {
	rows, err := idb.NewSelect().Model((*Sale)(nil)).
		Column("product_id", "sold_at", "quantity", "unit_price").
		Where("voided_at IS NULL").Rows(ctx)
	if err != nil {
		return nil, fmt.Errorf("read sales by day: %w", err)
	}
	defer rows.Close()
	out := map[DailyKey]*DailySales{}
	var (
		id, qty, price int64
		at             time.Time
	)
	for rows.Next() {
		if err := rows.Scan(&id, &at, &qty, &price); err != nil {
			return nil, fmt.Errorf("read sales by day: scan: %w", err)
		}
		k := DailyKey{id, DayOf(at, loc)}
		d := out[k]
		if d == nil {
			d = &DailySales{ProductID: id, Day: k.Day}
			out[k] = d
		}
		d.Units += qty
		d.Revenue += Money(qty * price)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read sales by day: %w", err)
	}
	return out, nil
}
