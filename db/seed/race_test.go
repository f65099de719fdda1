//go:build race

package seed_test

// raceDetector is true when the tests run with -race, which makes the
// full-size demo generation too slow to be worth it there.
const raceDetector = true
