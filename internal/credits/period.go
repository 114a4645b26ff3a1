package credits

import "time"

// PeriodContaining returns the billing period [start, end) that contains t for
// an account anchored on anchorDay. Periods start at 00:00 UTC on the anchor
// day; an anchor past the end of a short month clamps to its last day.
func PeriodContaining(anchorDay int, t time.Time) (start, end time.Time) {
	t = t.UTC()
	start = anchorIn(t.Year(), t.Month(), anchorDay)
	if t.Before(start) {
		start = anchorIn(t.Year(), t.Month()-1, anchorDay)
	}
	end = anchorIn(start.Year(), start.Month()+1, anchorDay)
	return start, end
}

// anchorIn is the anchor day of the given month; month overflow normalizes.
func anchorIn(year int, month time.Month, day int) time.Time {
	first := time.Date(year, month, 1, 0, 0, 0, 0, time.UTC)
	if last := first.AddDate(0, 1, -1).Day(); day > last {
		day = last
	}
	return time.Date(first.Year(), first.Month(), day, 0, 0, 0, 0, time.UTC)
}

// windowStart is the first instant of the rolling window of the given number
// of UTC calendar days that ends today (today included).
func windowStart(now time.Time, days int) time.Time {
	y, m, d := now.UTC().Date()
	return time.Date(y, m, d-(days-1), 0, 0, 0, 0, time.UTC)
}
