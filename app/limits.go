package app

import (
	"fmt"
	"unicode/utf8"
)

// Length limits of the free-text inputs, in characters (Unicode code
// points), checked by the services' validation so the API, the web forms
// and CSV import refuse the same inputs with the same message ("note: must
// be at most 500 characters"). The README's Security section lists them.
const (
	MaxSKULength         = 64   // products' sku
	MaxNameLength        = 200  // names of products, categories, suppliers; suppliers' contact_name
	MaxDescriptionLength = 5000 // descriptions of products and categories
	MaxNotesLength       = 5000 // suppliers' notes
	MaxEmailLength       = 254  // suppliers' email
	MaxPhoneLength       = 50   // suppliers' phone
	MaxNoteLength        = 500  // notes of sales and purchase orders; reasons of stock movements
	MaxChannelLength     = 64   // sales' channel
	MaxExternalIDLength  = 200  // sales' external_id
	MaxDisplayNameLength = 200  // users' display_name
	// MaxUsernameLength (64), MaxTokenNameLength (200) and
	// MaxCommentLength (4000) sit with their services.
)

// MaxFieldErrors is the most field errors a validation error (or a
// conflict of a sales batch) carries; the rest are counted in a last entry
// ("and 180 more"), so a hostile batch cannot make a huge error response.
// A CSV import lists up to ImportOptions.MaxErrors (MaxImportErrors)
// invalid lines instead: finding them is what its report is for.
const MaxFieldErrors = 20

// text adds a field error when value is longer than max characters.
func (v *validation) text(field, value string, max int) {
	if tooLong(value, max) {
		v.add(field, "must be at most %d characters", max)
	}
}

// textPtr is text for an optional input.
func (v *validation) textPtr(field string, value *string, max int) {
	if value != nil {
		v.text(field, *value, max)
	}
}

// tooLong says whether s has more than max characters.
func tooLong(s string, max int) bool {
	return len(s) > max && utf8.RuneCountInString(s) > max
}

// limitFields returns fields cut to MaxFieldErrors and a last entry (field
// "errors") saying how many more there were. Its result is at most
// MaxFieldErrors+1 long, which it returns unchanged: cutting twice is
// cutting once.
func limitFields(fields []FieldError) []FieldError {
	if len(fields) <= MaxFieldErrors+1 {
		return fields
	}
	out := make([]FieldError, MaxFieldErrors, MaxFieldErrors+1)
	copy(out, fields[:MaxFieldErrors])
	return append(out, FieldError{Field: "errors", Message: fmt.Sprintf("and %d more", len(fields)-MaxFieldErrors)})
}
