// Package faults holds the fault-injection tests: the real server binary is
// killed, its database restarted and its clients cut off mid-load, and the
// ledger must end exactly where the committed charges say.
package faults
