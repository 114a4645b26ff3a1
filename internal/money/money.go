// Package money represents dollar amounts exactly, as integer micro-dollars.
package money

import (
	"fmt"
	"strconv"
	"strings"
)

// MicrosPerDollar is the number of micro-dollars in one dollar.
const MicrosPerDollar = 1_000_000

// Money is an exact amount in micro-units of a currency.
type Money struct {
	Micros   int64
	Currency string
}

// USD returns an amount of US dollars given in micro-dollars.
func USD(micros int64) Money { return Money{Micros: micros, Currency: "USD"} }

// Amount is the exact decimal amount with at least two decimals ("38.91",
// "0.005"): exact figures for integrators, never a float.
func (m Money) Amount() string {
	neg, abs := split(m.Micros)
	whole := abs / MicrosPerDollar
	frac := strconv.FormatInt(abs%MicrosPerDollar+MicrosPerDollar, 10)[1:] // 6 digits
	frac = strings.TrimRight(frac, "0")
	for len(frac) < 2 {
		frac += "0"
	}
	return neg + strconv.FormatInt(whole, 10) + "." + frac
}

// Formatted is the display form, rounded half-up to cents with thousands
// separators: "$1,234.57".
func (m Money) Formatted() string {
	neg, abs := split(m.Micros)
	cents := (abs + 5_000) / 10_000 // half-up
	whole := cents / 100
	return neg + symbol(m.Currency) + GroupThousands(whole) + "." + strconv.FormatInt(cents%100+100, 10)[1:]
}

// GroupThousands formats a non-negative integer with comma separators.
func GroupThousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	if n < 0 {
		return "-" + GroupThousands(-n)
	}
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

func split(micros int64) (sign string, abs int64) {
	if micros < 0 {
		return "-", -micros
	}
	return "", micros
}

func symbol(currency string) string {
	if currency == "USD" || currency == "" {
		return "$"
	}
	return currency + " "
}

// ParseUSD reads a non-negative decimal dollar amount ("50", "62.5",
// "0.000001") exactly into micro-dollars.
func ParseUSD(s string) (Money, error) {
	whole, frac, _ := strings.Cut(strings.TrimPrefix(strings.TrimSpace(s), "$"), ".")
	if whole == "" && frac == "" || len(frac) > 6 || len(whole) > 12 || !digits(whole) || !digits(frac) {
		return Money{}, fmt.Errorf("%q is not an amount of dollars with at most 6 decimals", s)
	}
	w, _ := strconv.ParseInt("0"+whole, 10, 64)
	f, _ := strconv.ParseInt((frac + "000000")[:6], 10, 64)
	return USD(w*MicrosPerDollar + f), nil
}

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
