package app

import (
	"context"
	"log/slog"
	"time"

	"smartinventory/db"
)

// batchLockKey is the PostgreSQL advisory lock that elects the one replica
// running a forecast batch.
const batchLockKey = 727460002

// Schedule runs the forecast batch in the background until ctx ends: at once
// when forecasts are stale (missing, or older than yesterday's data), then
// every day at nightly past midnight UTC. On PostgreSQL, replicas elect one
// runner per batch with an advisory lock, so exactly one computes it.
func (fs *Forecasts) Schedule(ctx context.Context, logger *slog.Logger, nightly time.Duration) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if stale, err := fs.Stale(ctx, System); err != nil {
		logger.Error("forecast staleness check failed", "err", err)
	} else if stale {
		fs.runElected(ctx, logger, "start")
	}
	for {
		now := time.Now().UTC()
		next := truncDay(now).Add(nightly)
		if !next.After(now) {
			next = next.AddDate(0, 0, 1)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(next.Sub(now)):
			fs.runElected(ctx, logger, "nightly")
		}
	}
}

// runElected runs one batch if this process wins the election.
func (fs *Forecasts) runElected(ctx context.Context, logger *slog.Logger, why string) {
	release, ok, err := fs.elect(ctx)
	if err != nil {
		logger.Error("forecast batch election failed", "err", err)
		return
	}
	if !ok {
		logger.Info("forecast batch runs on another replica", "trigger", why)
		return
	}
	defer release()
	logger.Info("forecast batch started", "trigger", why)
	st, err := fs.RefreshAll(ctx, System, nil)
	if err != nil {
		logger.Error("forecast batch failed", "err", err, "done", st.Done, "total", st.Total)
		return
	}
	logger.Info("forecast batch finished", "products", st.Done, "failed", st.Failed, "seconds", st.Seconds)
}

// elect takes the batch lock: an advisory lock held on a dedicated
// connection on PostgreSQL (pg_try_advisory_lock) and MySQL (GET_LOCK), so
// one replica runs the batch; on SQLite (one machine) the in-process job
// flag of RefreshAll is enough.
func (fs *Forecasts) elect(ctx context.Context) (release func(), ok bool, err error) {
	return db.Lock(ctx, fs.db, batchLockKey, false)
}
