package httpserver_test

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/vistasocial/aiusage/internal/testdb"
)

// eventDeadline is how soon after a charge commits its event must reach a
// subscriber on another process.
const eventDeadline = time.Second

// process is one `aiusage` server started from the built binary.
type process struct {
	base string
	cmd  *exec.Cmd
	log  *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// buildBinary builds the service's binary, as `go build -o tmp .` in the
// module root.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "aiusage")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/vistasocial/aiusage")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// startProcess runs the binary against databaseURL and waits until it is
// ready. The demo account's key is demoKey on every process.
func startProcess(t *testing.T, bin, databaseURL, demoKey string) *process {
	t.Helper()
	addr := freeAddr(t)
	p := &process{base: "http://" + addr, log: &syncBuffer{}}
	p.cmd = exec.Command(bin)
	p.cmd.Env = append(os.Environ(), "ADDR="+addr, "DATABASE_URL="+databaseURL, "DEMO_API_KEY="+demoKey, "RATE_LIMIT_RPS=0")
	p.cmd.Stdout, p.cmd.Stderr = p.log, p.log
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() {
		_ = p.cmd.Wait()
		close(exited)
	}()
	t.Cleanup(func() {
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = p.cmd.Process.Kill()
			<-exited
		}
		if t.Failed() {
			t.Logf("server %s output:\n%s", addr, tail(p.log.String(), 4000))
		}
	})
	deadline := time.Now().Add(90 * time.Second)
	for {
		select {
		case <-exited:
			t.Fatalf("server exited during start:\n%s", p.log.String())
		default:
		}
		if res, err := http.Get(p.base + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return p
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("server not ready after 90s:\n%s", p.log.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

func randomKey(t *testing.T) string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return "test-demo-" + hex.EncodeToString(b)
}

// waitGaugeAt polls a process's /metrics until the gauge reads want.
func waitGaugeAt(t *testing.T, base, name string, want float64) {
	t.Helper()
	deadline := time.Now().Add(subTimeout)
	for {
		res, err := http.Get(base + "/metrics")
		if err == nil {
			var buf bytes.Buffer
			_, _ = buf.ReadFrom(res.Body)
			res.Body.Close()
			for _, line := range strings.Split(buf.String(), "\n") {
				if v, ok := strings.CutPrefix(line, name+" "); ok && strings.TrimSpace(v) == fmt.Sprint(want) {
					return
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s on %s never read %v", name, base, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Two servers on one PostgreSQL database: a charge made through either
// reaches the subscribers of both within a second, through LISTEN/NOTIFY.
func TestSubscriptionAcrossTwoProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the binary")
	}
	url := testdb.PostgresURL(t)
	bin := buildBinary(t)
	key := randomKey(t)
	a := startProcess(t, bin, url, key) // migrates and seeds
	b := startProcess(t, bin, url, key)

	subA := connectWS(t, a.base, key)
	subA.subscribe("bal", balanceSubscription)
	subA.subscribe("use", usageSubscription)
	subB := connectWS(t, b.base, key)
	subB.subscribe("bal", balanceSubscription)
	waitGaugeAt(t, a.base, "aiusage_subscriptions_active", 2)
	waitGaugeAt(t, b.base, "aiusage_subscriptions_active", 1)

	const rounds = 20
	// Latencies of remote deliveries (charge on one process, subscriber on
	// the other): since the mutation's response, and since its request.
	var afterResponse, afterRequest []time.Duration
	remote := func(sent, committed time.Time) {
		now := time.Now()
		afterResponse = append(afterResponse, now.Sub(committed))
		afterRequest = append(afterRequest, now.Sub(sent))
	}
	for i := range rounds {
		// Alternate: charge through b (subscriber a is remote), then
		// through a (subscriber b is remote).
		via := b
		if i%2 == 1 {
			via = a
		}
		sent := time.Now()
		r := charge(t, via.base, key, 1+i)
		committed := time.Now()
		want := r.RecordUsage.Balance.Remaining

		got := map[string]bool{}
		for len(got) < 2 {
			m, ok := subA.nextWithin(eventDeadline - time.Since(committed))
			if !ok {
				t.Fatalf("round %d: subscriber on the first process got %v within %s of the commit", i, got, eventDeadline)
			}
			var p struct {
				Data struct {
					balanceEvent
					usageEvent
				} `json:"data"`
			}
			_ = json.Unmarshal(m.Payload, &p)
			switch {
			case m.ID == "bal" && p.Data.CreditBalanceChanged.Remaining == want:
			case m.ID == "use" && p.Data.UsageRecorded.ID == r.RecordUsage.UsageRecord.ID:
			default:
				t.Fatalf("round %d: unexpected %s %s: %s", i, m.Type, m.ID, m.Payload)
			}
			if via == b {
				remote(sent, committed)
			}
			got[m.ID] = true
		}
		m, ok := subB.nextWithin(eventDeadline - time.Since(committed))
		if !ok {
			t.Fatalf("round %d: subscriber on the second process got nothing within %s", i, eventDeadline)
		}
		var ev struct {
			Data balanceEvent `json:"data"`
		}
		_ = json.Unmarshal(m.Payload, &ev)
		if ev.Data.CreditBalanceChanged.Remaining != want {
			t.Fatalf("round %d: second process sent %s, want remaining %d", i, m.Payload, want)
		}
		if via == a {
			remote(sent, committed)
		}
	}
	subA.quiet(200 * time.Millisecond)
	t.Logf("cross-process delivery, %d events: after the mutation's response %s; after its request %s",
		len(afterResponse), summary(afterResponse), summary(afterRequest))
}

func summary(d []time.Duration) string {
	slices.Sort(d)
	r := func(x time.Duration) time.Duration { return x.Round(10 * time.Microsecond) }
	return fmt.Sprintf("median %s, p95 %s, max %s", r(d[len(d)/2]), r(d[len(d)*95/100]), r(d[len(d)-1]))
}

// PostgreSQL restarts under open subscriptions: the listener reconnects, the
// subscribers are resynced, and later charges are delivered again, over the
// same websocket. It restarts the shared server, so it only runs with
// AIUSAGE_FAULT_TESTS=1 (alone: other tests would see their connections
// dropped).
func TestSubscriptionSurvivesPostgresRestart(t *testing.T) {
	if os.Getenv("AIUSAGE_FAULT_TESTS") != "1" {
		t.Skip("restarts the PostgreSQL server: set AIUSAGE_FAULT_TESTS=1 and run alone")
	}
	url := testdb.PostgresURL(t)
	e := newSubEnv(t, testdb.Open(t, url), url)
	_, key := e.newAccount("Pro")
	c := connectWS(t, e.srv.URL, key)
	c.subscribe("bal", balanceSubscription)
	c.subscribe("use", usageSubscription)
	waitSubscribed(t, e, 2)

	before := charge(t, e.srv.URL, key, 10)
	seen := map[string]int{}
	expect := func(r recorded, within time.Duration) time.Duration {
		t.Helper()
		start := time.Now()
		gotBalance, gotRecord := false, false
		for !gotBalance || !gotRecord {
			left := within - time.Since(start)
			m, ok := c.nextWithin(left)
			if !ok {
				t.Fatalf("no event for record %s within %s (balance %v, record %v)", r.RecordUsage.UsageRecord.ID, within, gotBalance, gotRecord)
			}
			var p struct {
				Data struct {
					balanceEvent
					usageEvent
				} `json:"data"`
			}
			_ = json.Unmarshal(m.Payload, &p)
			switch m.ID {
			case "bal":
				// Resyncs may send the unchanged balance first.
				gotBalance = gotBalance || p.Data.CreditBalanceChanged.Remaining == r.RecordUsage.Balance.Remaining
			case "use":
				id := p.Data.UsageRecorded.ID
				seen[id]++
				if seen[id] > 1 {
					t.Fatalf("record %s delivered twice", id)
				}
				gotRecord = gotRecord || id == r.RecordUsage.UsageRecord.ID
			default:
				t.Fatalf("unexpected %s %s: %s", m.Type, m.ID, m.Payload)
			}
		}
		return time.Since(start)
	}
	expect(before, subTimeout)

	restarted := time.Now()
	cluster, _ := filepath.Glob("/etc/postgresql/*")
	if len(cluster) != 1 {
		t.Fatalf("want one PostgreSQL version under /etc/postgresql, got %v", cluster)
	}
	out, err := exec.Command("pg_ctlcluster", "--skip-systemctl-redirect", filepath.Base(cluster[0]), "main", "restart").CombinedOutput()
	if err != nil {
		t.Fatalf("restarting PostgreSQL: %v\n%s", err, out)
	}
	t.Logf("PostgreSQL restarted in %s", time.Since(restarted).Round(time.Millisecond))

	// Charge as soon as the database takes writes again.
	var after recorded
	deadline := time.Now().Add(60 * time.Second)
	for {
		var err error
		if after, err = tryCharge(e.srv.URL, key, 20); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("charges still failing 60s after the restart: %v", err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Logf("first charge after the restart committed %s after it began", time.Since(restarted).Round(time.Millisecond))
	took := expect(after, 15*time.Second)
	t.Logf("its events arrived %s after the charge", took.Round(time.Millisecond))

	// And the feed keeps working.
	expect(charge(t, e.srv.URL, key, 30), subTimeout)
	select {
	case <-c.done:
		t.Fatalf("websocket closed: %v", c.err)
	default:
	}
}
