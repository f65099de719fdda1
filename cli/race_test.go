//go:build race

package cli_test

// raceDetector reports whether the tests run with -race, which slows the
// demo-data generator down about 25-fold.
const raceDetector = true
