package faults_test

import (
	"context"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/vistasocial/aiusage/internal/testdb"
)

// databases runs fn on a fresh SQLite file and a fresh PostgreSQL schema.
func databases(t *testing.T, fn func(t *testing.T, dbURL string)) {
	t.Run("sqlite", func(t *testing.T) {
		fn(t, "sqlite://"+filepath.Join(t.TempDir(), "faults.db"))
	})
	t.Run("postgres", func(t *testing.T) {
		fn(t, testdb.PostgresURL(t))
	})
}

// TestServerKilledMidLoad SIGKILLs the server while clients charge, restarts
// it, and checks that retries with the same keys land every charge once.
func TestServerKilledMidLoad(t *testing.T) {
	databases(t, func(t *testing.T, dbURL string) {
		srv := startServer(t, dbURL, freeAddr(t))
		before := state(t, srv.url(""))
		const n = 300
		failures, codes := load(t, func() string { return srv.url("") }, "kill", n, 8, 100, func() {
			srv.kill()
			time.Sleep(200 * time.Millisecond)
			srv.start()
		})
		after := state(t, srv.url(""))
		t.Logf("SIGKILL: %d charges, %d failed attempts %v, remaining %d → %d", n, failures, codes, before.remaining, after.remaining)
		if after.records != before.records+n || after.remaining != before.remaining-n {
			t.Fatalf("after SIGKILL and retries: %+v, want %d more records and %d less credits than %+v", after, n, n, before)
		}
		verifyLedger(t, dbURL)
	})
}

// TestClientDisconnects cancels requests at random moments, then retries
// every key: no charge is half-written, none is doubled.
func TestClientDisconnects(t *testing.T) {
	databases(t, func(t *testing.T, dbURL string) {
		srv := startServer(t, dbURL, freeAddr(t))
		before := state(t, srv.url(""))
		const n = 200
		rng := rand.New(rand.NewPCG(3, 4))
		for i := 0; i < n; i++ {
			ctx, cancel := context.WithTimeout(context.Background(), time.Duration(rng.IntN(3000))*time.Microsecond)
			charge(ctx, srv.url(""), "cut-"+strconv.Itoa(i))
			cancel()
		}
		failures, _ := load(t, func() string { return srv.url("") }, "cut", n, 4, 0, nil)
		after := state(t, srv.url(""))
		t.Logf("disconnects: %d charges, %d failed retries, remaining %d → %d", n, failures, before.remaining, after.remaining)
		if after.records != before.records+n || after.remaining != before.remaining-n {
			t.Fatalf("after disconnects and retries: %+v, want %d more records than %+v", after, n, before)
		}
		verifyLedger(t, dbURL)
	})
}

// TestPostgresRestartMidLoad restarts the PostgreSQL server while clients
// charge. It restarts the machine's shared server, so it runs only when
// AIUSAGE_FAULT_TESTS=1 (its own CI step, after the parallel suite).
func TestPostgresRestartMidLoad(t *testing.T) {
	if os.Getenv("AIUSAGE_FAULT_TESTS") != "1" {
		t.Skip("set AIUSAGE_FAULT_TESTS=1 to restart PostgreSQL")
	}
	base := os.Getenv(testdb.EnvURL)
	if base == "" {
		t.Fatalf("%s must be set", testdb.EnvURL)
	}
	dbURL := testdb.URLWithSchema(t, base)
	srv := startServer(t, dbURL, freeAddr(t))
	before := state(t, srv.url(""))
	sawNotReady := make(chan bool, 1)
	const n = 400
	failures, codes := load(t, func() string { return srv.url("") }, "pgrestart", n, 8, 100, func() {
		done := make(chan struct{})
		go func() { // watch readiness go red, then green
			red := false
			for {
				select {
				case <-done:
					sawNotReady <- red
					return
				default:
				}
				if status(srv.url("/readyz")) == http.StatusServiceUnavailable {
					red = true
				}
				time.Sleep(20 * time.Millisecond)
			}
		}()
		out, err := exec.Command("bash", "-c", "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main restart").CombinedOutput()
		if err != nil {
			t.Errorf("restarting PostgreSQL: %v\n%s", err, out)
		}
		time.Sleep(500 * time.Millisecond)
		close(done)
	})
	if srv.cmd == nil || srv.cmd.ProcessState != nil {
		t.Fatal("server process died during the restart")
	}
	after := state(t, srv.url(""))
	t.Logf("PostgreSQL restart: %d charges, %d failed attempts %v, remaining %d → %d", n, failures, codes, before.remaining, after.remaining)
	if after.records != before.records+n || after.remaining != before.remaining-n {
		t.Fatalf("after restart and retries: %+v, want %d more records than %+v", after, n, before)
	}
	for code := range codes {
		if code != "transport" && code != "INTERNAL" {
			t.Errorf("non-retryable error during the restart: %s", code)
		}
	}
	if !<-sawNotReady {
		t.Error("/readyz never reported the database down")
	}
	if status(srv.url("/readyz")) != http.StatusOK {
		t.Error("/readyz did not recover")
	}
	verifyLedger(t, dbURL)
}
