package app

import "smartinventory/api"

// Nullable is an optional input field that may also be cleared: absent
// (Set false) leaves the value alone, null clears it (Set, !Valid), and a
// value sets it. It is the API's type (api.Nullable), so inputs decode the
// same in the services, the HTTP handlers and the Go client.
type Nullable[T any] = api.Nullable[T]

// Of returns a Nullable holding v.
func Of[T any](v T) Nullable[T] { return api.Of(v) }

// Null returns a Nullable that clears the field.
func Null[T any]() Nullable[T] { return api.Null[T]() }

// Ptr returns a pointer to v, for building inputs.
func Ptr[T any](v T) *T { return &v }
