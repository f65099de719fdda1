package migrations

// UpNameKeys and DownNameKeys run the name-key migration on its own.
var (
	UpNameKeys   = upNameKeys
	DownNameKeys = downNameKeys
)
