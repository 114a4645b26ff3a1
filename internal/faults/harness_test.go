package faults_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// binary is the server built once for all tests.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "aiusage-faults")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "aiusage")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Dir = "../.."
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building server: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

const demoKey = "aiu_fault_test_demo_key_0123456789"

// server is one running server process.
type server struct {
	t     *testing.T
	dbURL string
	addr  string
	cmd   *exec.Cmd
	logs  bytes.Buffer
}

func startServer(t *testing.T, dbURL, addr string) *server {
	t.Helper()
	s := &server{t: t, dbURL: dbURL, addr: addr}
	s.start()
	t.Cleanup(func() { s.kill() })
	return s
}

func (s *server) start() {
	s.t.Helper()
	s.cmd = exec.Command(binary)
	s.cmd.Env = append(os.Environ(), "DATABASE_URL="+s.dbURL, "ADDR="+s.addr, "DEMO_API_KEY="+demoKey, "RATE_LIMIT_RPS=0")
	s.cmd.Stdout, s.cmd.Stderr = &s.logs, &s.logs
	if err := s.cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if status(s.url("/readyz")) == http.StatusOK {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	s.t.Fatalf("server did not become ready:\n%s", s.logs.String())
}

// kill ends the process with SIGKILL: no graceful shutdown.
func (s *server) kill() {
	if s.cmd != nil && s.cmd.Process != nil {
		_ = s.cmd.Process.Signal(syscall.SIGKILL)
		_ = s.cmd.Wait()
		s.cmd = nil
	}
}

func (s *server) url(path string) string { return "http://" + s.addr + path }

func status(url string) int {
	c := http.Client{Timeout: time.Second}
	resp, err := c.Get(url)
	if err != nil {
		return 0
	}
	resp.Body.Close()
	return resp.StatusCode
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

type gqlResponse struct {
	Data   json.RawMessage `json:"data"`
	Errors []struct {
		Message    string         `json:"message"`
		Extensions map[string]any `json:"extensions"`
	} `json:"errors"`
}

// graphql posts one operation with the demo key.
func graphql(ctx context.Context, url, query string, vars map[string]any) (*gqlResponse, error) {
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url+"/graphql", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+demoKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var out gqlResponse
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		return nil, fmt.Errorf("HTTP %d: %w", resp.StatusCode, err)
	}
	return &out, nil
}

const chargeMutation = `mutation($in: RecordUsageInput!) { recordUsage(input: $in) { usageRecord { id } } }`

// charge sends one CHAT charge of 1 credit under key; it reports whether it
// committed, and otherwise the error (transport failure or GraphQL code).
func charge(ctx context.Context, url, key string) (bool, string) {
	r, err := graphql(ctx, url, chargeMutation, map[string]any{"in": map[string]any{"category": "CHAT", "credits": 1, "idempotencyKey": key}})
	if err != nil {
		return false, "transport: " + err.Error()
	}
	if len(r.Errors) > 0 {
		code, _ := r.Errors[0].Extensions["code"].(string)
		return false, code
	}
	return true, ""
}

// ledgerState is what the account shows after a run.
type ledgerState struct {
	remaining int
	records   int
}

func state(t *testing.T, url string) ledgerState {
	t.Helper()
	r, err := graphql(context.Background(), url, `{ creditBalance { remaining } usageRecords(first: 1) { totalCount } }`, nil)
	if err != nil || len(r.Errors) > 0 {
		t.Fatalf("reading state: %v %+v", err, r)
	}
	var out struct {
		CreditBalance struct{ Remaining int }
		UsageRecords  struct{ TotalCount int }
	}
	if err := json.Unmarshal(r.Data, &out); err != nil {
		t.Fatal(err)
	}
	return ledgerState{remaining: out.CreditBalance.Remaining, records: out.UsageRecords.TotalCount}
}

// load charges n keys with the given concurrency, retrying each key with the
// same idempotency key until it commits. fault runs once, after the given
// number of keys have committed. It returns how many attempts failed and
// the error codes seen (every one must be retryable).
func load(t *testing.T, url func() string, prefix string, n, concurrency, faultAfter int, fault func()) (failures int64, codes map[string]int) {
	t.Helper()
	var committed, failed atomic.Int64
	var once sync.Once
	var mu sync.Mutex
	codes = map[string]int{}
	keys := make(chan int, n)
	for i := 0; i < n; i++ {
		keys <- i
	}
	close(keys)
	deadline := time.Now().Add(2 * time.Minute)
	var wg sync.WaitGroup
	for w := 0; w < concurrency; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range keys {
				key := prefix + "-" + strconv.Itoa(i)
				for attempt := 0; ; attempt++ {
					if time.Now().After(deadline) {
						t.Errorf("key %s never committed", key)
						return
					}
					ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
					ok, code := charge(ctx, url(), key)
					cancel()
					if ok {
						break
					}
					failed.Add(1)
					mu.Lock()
					codes[classify(code)]++
					mu.Unlock()
					time.Sleep(time.Duration(min(attempt+1, 10)) * 50 * time.Millisecond)
				}
				if committed.Add(1) == int64(faultAfter) && fault != nil {
					once.Do(func() { go fault() })
				}
			}
		}()
	}
	wg.Wait()
	return failed.Load(), codes
}

// classify folds transport errors into one bucket for the report.
func classify(code string) string {
	if len(code) > 10 && code[:10] == "transport:" {
		return "transport"
	}
	return code
}

// verifyLedger runs `aiusage ledger verify` against the database.
func verifyLedger(t *testing.T, dbURL string) {
	t.Helper()
	cmd := exec.Command(binary, "ledger", "verify")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("ledger verify: %v\n%s", err, out)
	}
	t.Logf("ledger verify: %s", bytes.TrimSpace(out))
}
