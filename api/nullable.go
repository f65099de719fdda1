package api

import (
	"bytes"
	"encoding/json"
)

// Nullable is an optional input field that may also be cleared: absent
// (Set false) leaves the value alone, null clears it (Set, !Valid), and a
// value sets it. An absent field encodes as null too: tag Nullable fields
// of request bodies omitzero (absent is the zero value) so that they clear
// nothing.
type Nullable[T any] struct {
	Set   bool
	Valid bool
	V     T
}

// UnmarshalJSON records that the field was present and whether it was null.
func (n *Nullable[T]) UnmarshalJSON(b []byte) error {
	n.Set = true
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		n.Valid = false
		return nil
	}
	if err := json.Unmarshal(b, &n.V); err != nil {
		return err
	}
	n.Valid = true
	return nil
}

// MarshalJSON writes the value or null.
func (n Nullable[T]) MarshalJSON() ([]byte, error) {
	if !n.Valid {
		return []byte("null"), nil
	}
	return json.Marshal(n.V)
}

// Value returns a pointer to the value, or nil when cleared.
func (n Nullable[T]) Value() *T {
	if !n.Valid {
		return nil
	}
	v := n.V
	return &v
}

// Of returns a Nullable holding v.
func Of[T any](v T) Nullable[T] { return Nullable[T]{Set: true, Valid: true, V: v} }

// Null returns a Nullable that clears the field.
func Null[T any]() Nullable[T] { return Nullable[T]{Set: true} }
