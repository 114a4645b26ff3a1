package main

import (
	"strconv"
)

// event is one metering event of the ingest workload. The API phase and the
// floor phase charge the very same events (same categories, same credits),
// only the path differs.
type event struct {
	category string
	quantity int // IMAGE: units
	credits  int // CHAT: credits; IMAGE: 10 per unit (fixed price)
	key      string
}

// imageCredits is the fixed price of one image (the ledger's pricing).
const imageCredits = 10

// eventFor returns event i of a run: 80 % chat turns of 1–3 credits, 20 %
// single images (10 credits). Events are small so plan credits cover most of
// a run, the common case for the charge path; the bundle covers the rest.
func eventFor(runID string, i int) event {
	h := splitmix(uint64(i))
	e := event{key: "bench-" + runID + "-" + strconv.Itoa(i)}
	if h%5 == 0 {
		e.category, e.quantity, e.credits = "IMAGE", 1, imageCredits
	} else {
		e.category, e.quantity, e.credits = "CHAT", 1, int(h>>8%3)+1
	}
	return e
}

// appendInput appends the event as a RecordUsageInput JSON object.
func (e event) appendInput(dst []byte) []byte {
	dst = append(dst, `{"category":"`...)
	dst = append(dst, e.category...)
	if e.category == "IMAGE" {
		dst = append(dst, `","quantity":`...)
		dst = strconv.AppendInt(dst, int64(e.quantity), 10)
	} else {
		dst = append(dst, `","credits":`...)
		dst = strconv.AppendInt(dst, int64(e.credits), 10)
	}
	dst = append(dst, `,"idempotencyKey":"`...)
	dst = append(dst, e.key...)
	return append(dst, `"}`...)
}

// splitmix is a fast, well-mixed hash for deterministic pseudo-random data.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
