package app

import (
	"context"
)

// DataVersion identifies the state of everything the dashboard shows:
// sales and stock (the newest ledger entry), the catalogue, the cached
// forecasts, purchase orders and the restock calibration, plus the data
// version of the analytics snapshot currently served (which may lag the
// data by up to Options.AnalyticsMaxStale while a fresh one is built).
// It costs a few indexed aggregate queries and never computes anything,
// so the web UI answers idle polls from it with 304 Not Modified. Equal
// versions mean equal dashboard content for the same day.
func (a *App) DataVersion(ctx context.Context) (string, error) {
	today, err := a.Restock.today(ctx)
	if err != nil {
		return "", err
	}
	v, err := a.Restock.dataVersion(ctx, today)
	if err != nil {
		return "", err
	}
	an := a.Analytics
	an.mu.Lock()
	served := "none"
	if an.snap != nil {
		served = an.snap.version
	}
	an.mu.Unlock()
	return v + "|" + served, nil
}
