package money

import "testing"

func TestMoneyFormatting(t *testing.T) {
	tests := []struct {
		micros            int64
		amount, formatted string
	}{
		{0, "0.00", "$0.00"},
		{38_910_000, "38.91", "$38.91"},
		{10_000, "0.01", "$0.01"},
		{5_000, "0.005", "$0.01"},    // half-up
		{4_999, "0.004999", "$0.00"}, // below half
		{1_234_567_890, "1234.56789", "$1,234.57"},
		{160_000_000, "160.00", "$160.00"},
		{1_000_000_000_000, "1000000.00", "$1,000,000.00"},
		{-15_000, "-0.015", "-$0.02"},
	}
	for _, tt := range tests {
		m := USD(tt.micros)
		if got := m.Amount(); got != tt.amount {
			t.Errorf("USD(%d).Amount() = %q, want %q", tt.micros, got, tt.amount)
		}
		if got := m.Formatted(); got != tt.formatted {
			t.Errorf("USD(%d).Formatted() = %q, want %q", tt.micros, got, tt.formatted)
		}
	}
}

func TestGroupThousands(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 3891: "3,891", 1234567: "1,234,567", -5000: "-5,000"} {
		if got := GroupThousands(n); got != want {
			t.Errorf("GroupThousands(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestParseUSD(t *testing.T) {
	good := map[string]int64{"50": 50_000_000, "62.50": 62_500_000, "$0.01": 10_000, "0.000001": 1, ".5": 500_000, "7.": 7_000_000}
	for in, want := range good {
		if m, err := ParseUSD(in); err != nil || m.Micros != want {
			t.Errorf("ParseUSD(%q) = %d, %v; want %d", in, m.Micros, err, want)
		}
	}
	for _, in := range []string{"", ".", "-5", "1e3", "1.0000001", "abc", "1,000", "9999999999999"} {
		if _, err := ParseUSD(in); err == nil {
			t.Errorf("ParseUSD(%q) accepted", in)
		}
	}
}
