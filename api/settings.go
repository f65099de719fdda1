package api

import "time"

// Setting is a shop-wide setting (see GET /settings for the keys).
type Setting struct {
	Key       string    `json:"key"`
	Value     string    `json:"value"`
	UpdatedAt time.Time `json:"updated_at"`
	UpdatedBy *int64    `json:"updated_by"`
}

// SettingRequest is the body of PUT /settings/{key}.
type SettingRequest struct {
	Value string `json:"value"`
}

// SettingList lists every setting with its value (the default when unset).
type SettingList struct {
	Items []Setting `json:"items"`
}
