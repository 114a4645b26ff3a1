# syntax=docker/dockerfile:1
#
# Production image of the AI credits usage service: the SPA is built with
# Node, embedded into a static Go binary, and the binary runs alone on a
# distroless base (CA certificates, tzdata, no shell, non-root user 65532).
#
#   docker build -t aiusage .
#   docker run --rm -p 8080:8080 aiusage            # embedded SQLite in /data, demo account
#   docker compose up --build                      # with PostgreSQL 16, see docker-compose.yml
#
# See docs/operations.md.

# --- Stage 1: the single-page app (frontend/ -> frontend/dist) ---------------
FROM node:20-bookworm-slim AS spa
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

# --- Stage 2: the static Go binary -------------------------------------------
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# Embed the fresh SPA build, not whatever frontend/dist the context carried
# (a stale copy would leave old hashed assets behind).
RUN rm -rf frontend/dist
COPY --from=spa /src/frontend/dist ./frontend/dist
# Pure Go throughout (modernc.org/sqlite, lib/pq): no cgo, no libc needed.
RUN CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o /out/aiusage . \
 && mkdir -p /out/data

# --- Stage 3: runtime ---------------------------------------------------------
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/aiusage /aiusage
# Writable home of the default embedded database; mount a volume here to keep
# it (docker run -v aiusage-data:/data ...). Unused with a postgres:// URL.
COPY --from=build --chown=65532:65532 /out/data /data
WORKDIR /data
ENV ADDR=:8080 \
    DATABASE_URL=sqlite:///data/aiusage.db
EXPOSE 8080
USER nonroot:nonroot
# No shell or curl in distroless: the binary probes its own /healthz.
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
    CMD ["/aiusage", "healthcheck"]
ENTRYPOINT ["/aiusage"]
CMD ["serve"]
