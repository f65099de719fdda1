package app

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"smartinventory/db"
)

// Settings keys.
const (
	// SettingServiceCalibration is the restock calibration factor k (see
	// restock.Item.Calibration), measured by `restock simulate --calibrate`.
	SettingServiceCalibration = "restock.service_calibration"
	// SettingApprovalThreshold is the order value (e.g. "500.00") above
	// which approving a purchase order needs a manager; default 0.
	SettingApprovalThreshold = "purchasing.approval_threshold"
	// SettingFourEyes ("true"/"false", default true): the drafter of an
	// order may not approve it while another manager exists.
	SettingFourEyes = "purchasing.four_eyes"
)

// SettingKeys lists the settings that may be set.
var SettingKeys = []string{SettingShopName, SettingShopCurrency, SettingShopTimeZone, SettingShopLanguage, SettingShopFirstWeekday,
	SettingServiceCalibration, SettingApprovalThreshold, SettingFourEyes}

// Settings reads and writes shop-wide settings. Managers and admins change
// them; each change is audited.
type Settings struct{ *base }

// Get returns a setting's value, or def when it is not set. Any signed-in
// user may read settings (as List).
func (s *Settings) Get(ctx context.Context, a Actor, key, def string) (string, error) {
	if err := a.require(db.RoleViewer, "read settings"); err != nil {
		return "", err
	}
	return getSetting(ctx, s.db, key, def)
}

func getSetting(ctx context.Context, idb bun.IDB, key, def string) (string, error) {
	st := new(db.Setting)
	err := idb.NewSelect().Model(st).Where(`"key" = ?`, key).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return def, nil
	}
	if err != nil {
		return "", fmt.Errorf("read setting %s: %w", key, err)
	}
	return st.Value, nil
}

// Set stores a setting (managers and admins).
func (s *Settings) Set(ctx context.Context, a Actor, key, value string) error {
	if err := a.require(db.RoleManager, "change settings"); err != nil {
		return err
	}
	norm, shopKey, err := validateShopSetting(key, value)
	if err != nil {
		return err
	}
	if shopKey {
		value = norm
	} else if err := validateSetting(key, value); err != nil {
		return err
	}
	rows := 1
	if key == SettingShopTimeZone {
		rows = 1 << 20 // the rollup rebuild is heavy: never grouped with other writers
	}
	err = s.inWeightedTx(ctx, rows, func(ctx context.Context, tx bun.Tx) error {
		old, err := getSetting(ctx, tx, key, "")
		if err != nil {
			return err
		}
		if key == SettingShopTimeZone && old != value {
			prev, err := db.ShopLocation(ctx, tx)
			if err != nil {
				return err
			}
			loc, err := time.LoadLocation(value)
			if err != nil {
				return fmt.Errorf("load time zone %q: %w", value, err)
			}
			if prev.String() != loc.String() {
				if err := rebuildDaily(ctx, tx, loc); err != nil {
					return fmt.Errorf("rebuild the daily rollup for %s: %w", value, err)
				}
			}
		}
		st := &db.Setting{Key: key, Value: value, UpdatedAt: s.now(), UpdatedBy: a.userID()}
		if _, err := db.Upsert(tx.NewInsert().Model(st), tx, `"key"`,
			"value = EXCLUDED.value", "updated_at = EXCLUDED.updated_at", "updated_by = EXCLUDED.updated_by").
			Exec(ctx); err != nil {
			return fmt.Errorf("save setting %s: %w", key, err)
		}
		if err := s.audit.record(ctx, tx, a, "update", "setting", 0,
			map[string]string{"key": key, "value": old}, map[string]string{"key": key, "value": value}); err != nil {
			return err
		}
		if shopKey {
			// Later writers (queued behind this transaction) use the new
			// settings at once; a rollback drops them below.
			shop, err := loadShop(ctx, tx)
			if err != nil {
				return err
			}
			s.shopC.set(shop)
		}
		return nil
	})
	if err != nil && shopKey {
		s.shopC.set(nil)
	}
	return err
}

// calibration returns the stored restock calibration factor (1 if unset
// or unreadable as a number).
func calibration(ctx context.Context, idb bun.IDB) (float64, error) {
	v, err := getSetting(ctx, idb, SettingServiceCalibration, "1")
	if err != nil {
		return 0, err
	}
	k, err := strconv.ParseFloat(v, 64)
	if err != nil || k <= 0 {
		return 1, nil
	}
	return k, nil
}

func validateSetting(key, value string) error {
	bad := func(msg string) error {
		return &Error{Code: EINVALID, Message: "Validation failed.", Fields: []FieldError{{Field: "value", Message: msg}}}
	}
	switch key {
	case SettingServiceCalibration:
		if k, err := strconv.ParseFloat(value, 64); err != nil || !(k > 0 && k <= 20) {
			return bad("calibration must be a number in (0, 20]")
		}
	case SettingApprovalThreshold:
		if m, err := db.ParseMoney(value); err != nil || m < 0 || m > db.MaxTotal {
			return bad(fmt.Sprintf("threshold must be an amount from 0 to %s", db.MaxTotal))
		}
	case SettingFourEyes:
		if value != "true" && value != "false" {
			return bad("must be true or false")
		}
	default:
		return &Error{Code: EINVALID, Message: "Validation failed.", Fields: []FieldError{{Field: "key", Message: "unknown setting " + key}}}
	}
	return nil
}

// settingDefaults are the values of unset settings.
var settingDefaults = map[string]string{
	SettingServiceCalibration: "1",
	SettingApprovalThreshold:  "0",
	SettingFourEyes:           "true",
}

// List returns every known setting with its value (the default when unset).
func (s *Settings) List(ctx context.Context, a Actor) ([]db.Setting, error) {
	if err := a.require(db.RoleViewer, "read settings"); err != nil {
		return nil, err
	}
	var stored []db.Setting
	if err := s.db.NewSelect().Model(&stored).Scan(ctx); err != nil {
		return nil, fmt.Errorf("list settings: %w", err)
	}
	byKey := map[string]db.Setting{}
	for _, st := range stored {
		byKey[st.Key] = st
	}
	shop, err := loadShop(ctx, s.db)
	if err != nil {
		return nil, err
	}
	defaults := map[string]string{SettingShopName: shop.Name, SettingShopCurrency: shop.Currency,
		SettingShopTimeZone: shop.TimeZone, SettingShopLanguage: shop.Language,
		SettingShopFirstWeekday: weekdayName(shop.FirstWeekday)}
	for k, v := range settingDefaults {
		defaults[k] = v
	}
	out := make([]db.Setting, 0, len(SettingKeys))
	for _, k := range SettingKeys {
		st, ok := byKey[k]
		if !ok {
			st = db.Setting{Key: k, Value: defaults[k]}
		}
		out = append(out, st)
	}
	return out, nil
}
