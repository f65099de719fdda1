package cli

import (
	"slices"
	"testing"
)

func TestFitWidths(t *testing.T) {
	tests := []struct {
		name   string
		widths []int
		right  []bool
		limit  int
		want   []int
	}{
		{"fits already", []int{3, 10, 5}, []bool{true, false, true}, 80, []int{3, 10, 5}},
		{"cuts the widest text column", []int{3, 40, 20, 5}, []bool{true, false, false, true}, 60, []int{3, 26, 20, 5}},
		{"cuts text columns evenly", []int{30, 30}, []bool{false, false}, 42, []int{20, 20}},
		{"never cuts numbers", []int{12, 12}, []bool{true, true}, 10, []int{12, 12}},
		{"stops at the minimum", []int{5, 30}, []bool{true, false}, 10, []int{5, minTextWidth}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := fitWidths(tt.widths, tt.right, tt.limit); !slices.Equal(got, tt.want) {
				t.Errorf("fitWidths(%v, %v, %d) = %v, want %v", tt.widths, tt.right, tt.limit, got, tt.want)
			}
		})
	}
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		in    string
		width int
		want  string
	}{
		{"hammer", 10, "hammer"},
		{"hammer", 6, "hammer"},
		{"claw hammer", 6, "claw …"},
		{"Käsespätzle", 5, "Käse…"},
	}
	for _, tt := range tests {
		if got := truncate(tt.in, tt.width); got != tt.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", tt.in, tt.width, got, tt.want)
		}
	}
}
