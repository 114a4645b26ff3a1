package deploy

import (
	"bufio"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"
)

// There is no Docker engine where these tests run, so the deployment files
// are checked structurally: what `docker compose up` and `docker build`
// would rely on.

const (
	composePath    = "../../docker-compose.yml"
	dockerfilePath = "../../Dockerfile"
	appPort        = "8080"
	pgDataDir      = "/var/lib/postgresql/data"
)

type composeFile struct {
	Services map[string]*composeService `yaml:"services"`
	Volumes  map[string]any             `yaml:"volumes"`
}

type composeService struct {
	Image       string              `yaml:"image"`
	Build       any                 `yaml:"build"`
	Ports       []any               `yaml:"ports"`
	Environment any                 `yaml:"environment"`
	DependsOn   any                 `yaml:"depends_on"`
	Volumes     []any               `yaml:"volumes"`
	Healthcheck *composeHealthcheck `yaml:"healthcheck"`
	Restart     string              `yaml:"restart"`
}

type composeHealthcheck struct {
	Test    any    `yaml:"test"`
	Disable bool   `yaml:"disable"`
	Retries int    `yaml:"retries"`
	Timeout string `yaml:"timeout"`
}

func loadCompose(t *testing.T) *composeFile {
	t.Helper()
	data, err := os.ReadFile(composePath)
	if err != nil {
		t.Fatalf("reading %s: %v", composePath, err)
	}
	var c composeFile
	if err := yaml.Unmarshal(data, &c); err != nil {
		t.Fatalf("parsing %s: %v", composePath, err)
	}
	return &c
}

func service(t *testing.T, c *composeFile, name string) *composeService {
	t.Helper()
	s, ok := c.Services[name]
	if !ok || s == nil {
		t.Fatalf("docker-compose.yml: service %q missing (have %v)", name, keys(c.Services))
	}
	return s
}

func TestComposeServices(t *testing.T) {
	c := loadCompose(t)
	service(t, c, "db")
	service(t, c, "app")
}

func TestComposeDatabase(t *testing.T) {
	c := loadCompose(t)
	db := service(t, c, "db")

	if !strings.HasPrefix(db.Image, "postgres:16") {
		t.Errorf("db image = %q, want postgres:16…", db.Image)
	}
	env := environment(t, db.Environment)
	for _, k := range []string{"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB"} {
		if env[k] == "" {
			t.Errorf("db environment: %s not set", k)
		}
	}

	hc := healthcheckCommand(t, "db", db.Healthcheck)
	if !strings.Contains(hc, "pg_isready") {
		t.Errorf("db healthcheck %q does not use pg_isready", hc)
	}
	if db.Healthcheck != nil && db.Healthcheck.Retries <= 0 {
		t.Errorf("db healthcheck: retries = %d, want > 0", db.Healthcheck.Retries)
	}
	if u := env["POSTGRES_USER"]; u != "" && !strings.Contains(hc, "-U "+u) {
		t.Errorf("db healthcheck %q does not check as user %q", hc, u)
	}

	if _, ok := c.Volumes["pgdata"]; !ok {
		t.Errorf("top-level volumes: pgdata not declared (have %v)", keys(c.Volumes))
	}
	mounted := false
	for _, v := range db.Volumes {
		if src, dst := volumeMount(v); src == "pgdata" && dst == pgDataDir {
			mounted = true
		}
	}
	if !mounted {
		t.Errorf("db volumes %v: named volume pgdata not mounted at %s", db.Volumes, pgDataDir)
	}
}

func TestComposeApp(t *testing.T) {
	c := loadCompose(t)
	app := service(t, c, "app")
	db := service(t, c, "db")

	if app.Build == nil && app.Image == "" {
		t.Errorf("app has neither build nor image")
	}

	// Waits for a healthy database, not just a started one.
	deps, ok := app.DependsOn.(map[string]any)
	if !ok {
		t.Fatalf("app depends_on = %#v, want the long form with condition: service_healthy", app.DependsOn)
	}
	dbDep, _ := deps["db"].(map[string]any)
	if cond, _ := dbDep["condition"].(string); cond != "service_healthy" {
		t.Errorf("app depends_on db: condition = %q, want service_healthy", cond)
	}

	// DATABASE_URL points at the db service with its credentials.
	env := environment(t, app.Environment)
	dbEnv := environment(t, db.Environment)
	raw := env["DATABASE_URL"]
	if !strings.HasPrefix(raw, "postgres://") {
		t.Fatalf("app DATABASE_URL = %q, want postgres://…", raw)
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("app DATABASE_URL %q: %v", raw, err)
	}
	if u.Hostname() != "db" {
		t.Errorf("app DATABASE_URL host = %q, want db", u.Hostname())
	}
	if p := u.Port(); p != "" && p != "5432" {
		t.Errorf("app DATABASE_URL port = %q, want 5432", p)
	}
	if got, want := u.User.Username(), dbEnv["POSTGRES_USER"]; got != want {
		t.Errorf("app DATABASE_URL user = %q, db POSTGRES_USER = %q", got, want)
	}
	if got, _ := u.User.Password(); got != dbEnv["POSTGRES_PASSWORD"] {
		t.Errorf("app DATABASE_URL password differs from db POSTGRES_PASSWORD")
	}
	if got, want := strings.TrimPrefix(u.Path, "/"), dbEnv["POSTGRES_DB"]; got != want {
		t.Errorf("app DATABASE_URL database = %q, db POSTGRES_DB = %q", got, want)
	}

	// Publishes the container's port 8080, which is where the server listens.
	published := false
	for _, p := range app.Ports {
		if containerPort(p) == appPort {
			published = true
		}
	}
	if !published {
		t.Errorf("app ports %v: container port %s not published", app.Ports, appPort)
	}
	if addr, ok := env["ADDR"]; ok && !strings.HasSuffix(addr, ":"+appPort) {
		t.Errorf("app ADDR = %q but the published container port is %s", addr, appPort)
	}

	hc := healthcheckCommand(t, "app", app.Healthcheck)
	if !strings.Contains(hc, "healthcheck") && !strings.Contains(hc, "/healthz") {
		t.Errorf("app healthcheck %q probes neither the healthcheck command nor /healthz", hc)
	}
}

// TestDockerfile checks the image: multi-stage, static binary, distroless (or
// scratch) runtime, non-root, a health check and the service port.
func TestDockerfile(t *testing.T) {
	instrs := dockerfileInstructions(t)

	var froms []int
	for i, in := range instrs {
		if in.cmd == "FROM" {
			froms = append(froms, i)
		}
	}
	if len(froms) < 3 {
		t.Fatalf("Dockerfile has %d FROM lines, want a multi-stage build with at least 3", len(froms))
	}
	final := instrs[froms[len(froms)-1]:]
	base := strings.Fields(final[0].args)
	image := ""
	for _, f := range base {
		if !strings.HasPrefix(f, "--") { // skip --platform=…
			image = f
			break
		}
	}
	scratch := image == "scratch"
	if !scratch && !strings.Contains(image, "distroless") {
		t.Errorf("final stage FROM %q, want distroless or scratch", image)
	}

	all := func(cmd string) []instruction {
		var out []instruction
		for _, in := range instrs {
			if in.cmd == cmd {
				out = append(out, in)
			}
		}
		return out
	}
	cgoOff := false
	for _, in := range append(all("RUN"), all("ENV")...) {
		if strings.Contains(in.args, "CGO_ENABLED=0") {
			cgoOff = true
		}
	}
	if !cgoOff {
		t.Errorf("Dockerfile never sets CGO_ENABLED=0 for the Go build")
	}

	// USER, HEALTHCHECK and EXPOSE only matter in the final stage.
	var user, health string
	var exposed []string
	caCerts := false
	for _, in := range final {
		switch in.cmd {
		case "USER":
			user = in.args
		case "HEALTHCHECK":
			health = in.args
		case "EXPOSE":
			for _, p := range strings.Fields(in.args) {
				exposed = append(exposed, strings.TrimSuffix(p, "/tcp"))
			}
		case "COPY":
			if strings.Contains(in.args, "ca-certificates") {
				caCerts = true
			}
		}
	}
	if u := strings.SplitN(user, ":", 2)[0]; u == "" || u == "root" || u == "0" {
		t.Errorf("final stage USER = %q, want a non-root user", user)
	}
	if health == "" || strings.EqualFold(strings.TrimSpace(health), "NONE") {
		t.Errorf("final stage has no HEALTHCHECK")
	}
	if !slices.Contains(exposed, appPort) {
		t.Errorf("final stage EXPOSE %v, want %s", exposed, appPort)
	}
	if scratch && !caCerts {
		t.Errorf("scratch runtime without CA certificates copied in")
	}
}

// TestDockerignore keeps local state and dependencies out of the build context.
func TestDockerignore(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(filepath.Dir(dockerfilePath), ".dockerignore"))
	if err != nil {
		t.Fatalf("reading .dockerignore: %v", err)
	}
	var patterns []string
	for _, line := range strings.Split(string(data), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			patterns = append(patterns, line)
		}
	}
	for _, want := range []string{".git", "**/node_modules", "**/*.db"} {
		if !slices.Contains(patterns, want) {
			t.Errorf(".dockerignore lacks %q (have %v)", want, patterns)
		}
	}
}

type instruction struct {
	cmd  string // upper case
	args string
}

// dockerfileInstructions reads the Dockerfile into instructions, joining
// backslash continuations and dropping comments.
func dockerfileInstructions(t *testing.T) []instruction {
	t.Helper()
	f, err := os.Open(dockerfilePath)
	if err != nil {
		t.Fatalf("reading %s: %v", dockerfilePath, err)
	}
	defer f.Close()
	var out []instruction
	var cur strings.Builder
	flush := func() {
		line := strings.TrimSpace(cur.String())
		cur.Reset()
		if line == "" {
			return
		}
		cmd, args, _ := strings.Cut(line, " ")
		out = append(out, instruction{cmd: strings.ToUpper(cmd), args: strings.TrimSpace(args)})
	}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "#") {
			continue
		}
		if cont, ok := strings.CutSuffix(line, `\`); ok {
			cur.WriteString(cont + " ")
			continue
		}
		cur.WriteString(line)
		flush()
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("reading %s: %v", dockerfilePath, err)
	}
	flush()
	return out
}

// environment accepts both compose forms: a map, or a list of KEY=VALUE.
func environment(t *testing.T, v any) map[string]string {
	t.Helper()
	out := map[string]string{}
	switch e := v.(type) {
	case nil:
	case map[string]any:
		for k, val := range e {
			if val != nil {
				out[k] = fmt.Sprint(val)
			} else {
				out[k] = ""
			}
		}
	case []any:
		for _, item := range e {
			k, val, _ := strings.Cut(fmt.Sprint(item), "=")
			out[k] = val
		}
	default:
		t.Fatalf("environment has unexpected form %T", v)
	}
	return out
}

// healthcheckCommand returns the health check's command as one string.
func healthcheckCommand(t *testing.T, svc string, hc *composeHealthcheck) string {
	t.Helper()
	if hc == nil || hc.Disable {
		t.Errorf("%s: no healthcheck", svc)
		return ""
	}
	switch test := hc.Test.(type) {
	case string:
		return test
	case []any:
		parts := make([]string, 0, len(test))
		for i, p := range test {
			s := fmt.Sprint(p)
			if i == 0 && s == "NONE" {
				t.Errorf("%s: healthcheck disabled (NONE)", svc)
			}
			if i == 0 && (s == "CMD" || s == "CMD-SHELL") {
				continue
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, " ")
	default:
		t.Errorf("%s: healthcheck test has unexpected form %T", svc, hc.Test)
		return ""
	}
}

// volumeMount returns a service volume's source and target, short
// ("src:dst[:mode]") or long ({source, target}) syntax.
func volumeMount(v any) (src, dst string) {
	switch m := v.(type) {
	case string:
		parts := strings.Split(m, ":")
		if len(parts) >= 2 {
			return parts[0], parts[1]
		}
	case map[string]any:
		s, _ := m["source"].(string)
		d, _ := m["target"].(string)
		return s, d
	}
	return "", ""
}

// containerPort returns the container side of a port mapping, short
// ("[ip:]host:container[/proto]") or long ({target: …}) syntax.
func containerPort(p any) string {
	switch m := p.(type) {
	case map[string]any:
		return fmt.Sprint(m["target"])
	default:
		s := fmt.Sprint(m)
		s, _, _ = strings.Cut(s, "/")
		parts := strings.Split(s, ":")
		return parts[len(parts)-1]
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
