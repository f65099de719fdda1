package cli

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"smartinventory/app"
)

// How errors reach the user
//
// Main prints every error a command returns as "error: MESSAGE" on stderr
// and exits with the code the error chooses (see exitCode in root.go).
// Commands that call the app services pass the service's error through
// cliError, which turns an *app.Error into an error that prints the
// service's message plus one indented line per invalid field, and picks the
// exit code from the error's code:
//
//	app.EINVALID                    → 2 (ExitUsage: the input was rejected, nothing changed)
//	app.ECONFLICT                   → 3 (ExitConflict)
//	app.ENOTFOUND                   → 4 (ExitNotFound)
//	app.EUNAUTHORIZED, app.EFORBIDDEN → 5 (ExitUnauthorized)
//	anything else                   → 1 (ExitError)
//
// Validation errors share exit code 2 with usage errors on purpose: both
// mean "the command as typed cannot succeed; fix the input", as opposed to
// 1, a failure that may go away when retried (database down, disk full).

// appExitError is an *app.Error as the command line reports it.
type appExitError struct {
	err *app.Error
}

// Error returns the service's message followed by one line per field error.
func (e *appExitError) Error() string {
	var b strings.Builder
	b.WriteString(e.err.Message)
	for _, f := range e.err.Fields {
		b.WriteString("\n  ")
		if f.Index != nil {
			b.WriteString("line ")
			b.WriteString(strconv.Itoa(*f.Index))
			b.WriteString(": ")
		}
		if f.Field != "" {
			b.WriteString(f.Field)
			b.WriteString(": ")
		}
		b.WriteString(f.Message)
	}
	return b.String()
}

// Unwrap gives errors.As access to the *app.Error.
func (e *appExitError) Unwrap() error { return e.err }

// ExitCode maps the service error code to the process exit code.
func (e *appExitError) ExitCode() int { return exitCodeFor(e.err.Code) }

// exitCodeFor returns the process exit code for an app error code.
func exitCodeFor(code string) int {
	switch code {
	case app.EINVALID:
		return ExitUsage
	case app.ECONFLICT:
		return ExitConflict
	case app.ENOTFOUND:
		return ExitNotFound
	case app.EUNAUTHORIZED, app.EFORBIDDEN:
		return ExitUnauthorized
	}
	return ExitError
}

// cliError prepares an error returned by the app services for Main: an
// *app.Error anywhere in err's chain becomes an error with the exit code
// and message described above; context cancellation (Ctrl-C) is reported as
// "interrupted"; other errors pass through unchanged (exit code 1, or
// whatever they choose themselves). cliError(nil) is nil.
func cliError(err error) error {
	if err == nil {
		return nil
	}
	var ae *app.Error
	if errors.As(err, &ae) {
		return &appExitError{err: ae}
	}
	if errors.Is(err, context.Canceled) {
		return interruptedError{err}
	}
	return err
}

// interruptedError reports a command stopped by SIGINT/SIGTERM.
type interruptedError struct{ err error }

func (e interruptedError) Error() string { return "interrupted" }
func (e interruptedError) Unwrap() error { return e.err }

// ExitCode is 130, the shell convention for a process stopped by SIGINT.
func (e interruptedError) ExitCode() int { return 130 }
