#!/usr/bin/env bash
# The whole test suite: Go (SQLite and PostgreSQL), generated code and the
# committed SPA build up to date, SPA unit tests, and end-to-end tests in
# headless Chromium. Needs PostgreSQL on TEST_DATABASE_URL, Node.js and
# /usr/bin/chromium (.ci/run installs and starts them on a fresh machine).
set -euo pipefail
cd "$(dirname "$0")/.."

export TEST_DATABASE_URL="${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}"
export CGO_ENABLED=0

step() { printf '\n==> %s\n' "$*"; }

step "gofmt and go vet"
unformatted=$(gofmt -l $(git ls-files '*.go' | grep -v '^ent/' | grep -v '^graph/generated/'))
if [ -n "$unformatted" ]; then echo "gofmt needed: $unformatted"; exit 1; fi
go vet ./...

step "generated Go code is up to date (go generate ./...)"
go generate ./...
git diff --exit-code -- ent graph gqlgen.yml || { echo "generated code differs from what is committed: run go generate ./... and commit"; exit 1; }

step "go test (SQLite and PostgreSQL)"
go test -count=1 ./...

step "fault tests that restart the shared PostgreSQL server (run alone)"
AIUSAGE_FAULT_TESTS=1 go test -count=1 -p 1 -run 'Restart' ./internal/faults/ ./internal/httpserver/

step "fuzzing input validation, IDs, cursors and API keys (bounded)"
for target in "FuzzUsageValidation ./internal/credits" "FuzzUnmarshalIntID ./graph/scalar" \
              "FuzzCursor ./graph/scalar" "FuzzBearerKey ./internal/auth"; do
  set -- $target
  go test -run '^$' -fuzz "^$1\$" -fuzztime "${FUZZ_TIME:-30000x}" "$2"
done

if [ -f frontend/package.json ]; then
  step "SPA: install, codegen, unit tests, build"
  (cd frontend && npm ci --no-audit --no-fund && npm run codegen && npm test && npm run build)
  git diff --exit-code -- frontend/src/gql frontend/dist || { echo "frontend/dist or generated client types differ from the committed ones: run npm run codegen && npm run build and commit"; exit 1; }
  if [ -n "$(git ls-files --others --exclude-standard frontend/dist frontend/src/gql)" ]; then
    echo "uncommitted files in frontend/dist or frontend/src/gql"; exit 1
  fi

  step "SPA: end-to-end tests in headless Chromium"
  (cd frontend && npm run test:e2e)
fi
