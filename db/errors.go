package db

import (
	"database/sql"
	"errors"
	"strings"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5/pgconn"
)

// ErrNotFound is returned by Find* queries when no row matches.
var ErrNotFound = errors.New("not found")

// notFound maps sql.ErrNoRows to ErrNotFound and leaves other errors alone.
func notFound(err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	return err
}

// mysqlErrorNumber returns the server's error number of a MySQL error (0
// for anything else).
func mysqlErrorNumber(err error) uint16 {
	var me *mysql.MySQLError
	if errors.As(err, &me) {
		return me.Number
	}
	return 0
}

// IsUniqueViolation reports whether err is a unique-constraint violation on
// SQLite, PostgreSQL or MySQL.
func IsUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "23505"
	}
	if n := mysqlErrorNumber(err); n != 0 {
		return n == 1062 // ER_DUP_ENTRY
	}
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// IsForeignKeyViolation reports whether err is a foreign-key violation.
func IsForeignKeyViolation(err error) bool {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code == "23503"
	}
	if n := mysqlErrorNumber(err); n != 0 {
		return n == 1451 || n == 1452 // ER_ROW_IS_REFERENCED_2, ER_NO_REFERENCED_ROW_2
	}
	return err != nil && strings.Contains(err.Error(), "FOREIGN KEY constraint failed")
}

// IsDeadlock reports whether err is MySQL's answer to a deadlock (InnoDB
// rolled the whole transaction back; running it again is safe).
func IsDeadlock(err error) bool {
	return mysqlErrorNumber(err) == 1213 // ER_LOCK_DEADLOCK
}
