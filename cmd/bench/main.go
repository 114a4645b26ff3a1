// Command bench is the service's benchmark tool; operators use it to size a
// deployment.
//
//	go run ./cmd/bench ingest    [flags]   metering throughput: GraphQL vs the raw-SQL floor
//	go run ./cmd/bench dashboard [flags]   dashboard latency: GraphQL (rollups) vs naive aggregates
//
// Like the server, it takes its database from DATABASE_URL (sqlite://PATH or
// postgres://...). Unlike the server, an unset DATABASE_URL means a SQLite
// file in the temp directory, $TMPDIR/aiusage-bench.db, so that a benchmark
// never writes bench accounts into the demo database aiusage.db. Benchmarks
// create accounts and bulk data: point them at a database of their own
// (e.g. CREATE DATABASE bench), never at production.
//
// Both subcommands print a table and, with --json, one machine-readable JSON
// line. Run a subcommand with -h for its flags.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"syscall"
)

// defaultDatabaseURL is used when DATABASE_URL is unset (see package doc).
func defaultDatabaseURL() string {
	return "sqlite://" + filepath.Join(os.TempDir(), "aiusage-bench.db")
}

func databaseURL() string {
	if v := os.Getenv("DATABASE_URL"); v != "" {
		return v
	}
	return defaultDatabaseURL()
}

const usage = `usage: go run ./cmd/bench <command> [flags]

commands:
  ingest     drive recordUsage / recordUsageBatch over HTTP and the same ledger
             transaction over raw SQL (the floor); print events/s, latency, ratio
  dashboard  bulk-load usage history, then time the SPA's dashboard queries
             against naive aggregates over the raw records

DATABASE_URL selects the database (default %s).
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "error:", err)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, out io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintf(os.Stderr, usage, defaultDatabaseURL())
		return flag.ErrHelp
	}
	switch args[0] {
	case "ingest":
		return runIngest(ctx, args[1:], out)
	case "dashboard":
		return runDashboard(ctx, args[1:], out)
	case "-h", "-help", "--help", "help":
		fmt.Fprintf(out, usage, defaultDatabaseURL())
		return nil
	default:
		fmt.Fprintf(os.Stderr, usage, defaultDatabaseURL())
		return fmt.Errorf("unknown command %q", args[0])
	}
}

// commonFlags are the output and profiling flags every subcommand takes.
type commonFlags struct {
	json       bool
	cpuProfile string
}

func (c *commonFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&c.json, "json", false, "also print one machine-readable JSON line")
	fs.StringVar(&c.cpuProfile, "cpuprofile", "", "write a CPU profile of the measured API phase to `file` (server and client share the process)")
}

// profile starts the CPU profile if one was asked for and returns its stop.
func (c *commonFlags) profile() (stop func(), err error) {
	if c.cpuProfile == "" {
		return func() {}, nil
	}
	f, err := os.Create(c.cpuProfile)
	if err != nil {
		return nil, fmt.Errorf("creating CPU profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("starting CPU profile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// printJSON writes v as one line, for scripts that collect results.
func printJSON(out io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(out, "%s\n", b)
	return err
}
