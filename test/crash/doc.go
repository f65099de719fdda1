// Package crash holds fault-injection tests of the real smartinventory
// binary: a server killed with SIGKILL under concurrent sales, a populate
// and a CSV import killed midway, and a SIGTERM while requests are in
// flight. Each test builds the binary once, runs it as a child process on a
// fresh SQLite file, (when SMARTINV_TEST_POSTGRES is set) a fresh
// PostgreSQL schema and (when SMARTINV_TEST_MYSQL is set) a fresh MySQL
// database, talks to it over 127.0.0.1 only, and checks the
// database afterwards with the API and `smartinventory check`.
//
// The package has no code outside its tests. Run the acceptance loop with
//
//	go test ./test/crash -count=1 -crash.iterations=20
//
// (or SMARTINV_CRASH_ITERATIONS=20); the default is 2 iterations per
// database, and -short skips everything.
package crash
