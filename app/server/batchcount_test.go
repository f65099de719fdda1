package server

import "testing"

func TestBatchCount(t *testing.T) {
	tests := []struct {
		head   string
		want   int
		wantOK bool
	}{
		{`{"count":1000,"items":[`, 1000, true},
		{"\n{\"count\":3,", 3, true},
		{`{"count":7`, 0, false}, // cut: the number may go on
		{`{"items":[],"count":2}`, 0, false},
		{`{"count":-1,`, 0, false},
		{`{"count":,`, 0, false},
		{``, 0, false},
		{`{"count":99999999999999999999999,`, 0, false},
	}
	for _, tt := range tests {
		got, ok := batchCount([]byte(tt.head))
		if got != tt.want || ok != tt.wantOK {
			t.Errorf("batchCount(%q) = %d, %v; want %d, %v", tt.head, got, ok, tt.want, tt.wantOK)
		}
	}
}

func TestStatusClass(t *testing.T) {
	tests := []struct {
		status int
		want   string
	}{{200, "2xx"}, {201, "2xx"}, {304, "3xx"}, {404, "4xx"}, {503, "5xx"}, {0, "other"}, {700, "other"}}
	for _, tt := range tests {
		if got := statusClass(tt.status); got != tt.want {
			t.Errorf("statusClass(%d) = %q, want %q", tt.status, got, tt.want)
		}
	}
}
