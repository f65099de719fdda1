//go:build !race

package seed_test

// raceDetector is true when the tests run with -race.
const raceDetector = false
