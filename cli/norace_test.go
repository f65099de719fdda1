//go:build !race

package cli_test

// raceDetector reports whether the tests run with -race.
const raceDetector = false
