package app

import "context"

// Elect exposes the batch election to the external tests.
func (fs *Forecasts) Elect(ctx context.Context) (func(), bool, error) { return fs.elect(ctx) }
