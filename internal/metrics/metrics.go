// Package metrics exposes the service's Prometheus metrics.
package metrics

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/vistasocial/aiusage/ent"
	"github.com/vistasocial/aiusage/internal/credits"
)

// Metrics holds the service's collectors in a registry of its own.
type Metrics struct {
	registry         *prometheus.Registry
	requests         *prometheus.CounterVec
	operationSeconds *prometheus.HistogramVec
	charges          *prometheus.CounterVec
	creditsCharged   *prometheus.CounterVec
	purchases        prometheus.Counter
	creditsPurchased prometheus.Counter
	subscriptions    prometheus.Gauge

	// operations caps the distinct operation labels: names come from clients.
	mu         sync.Mutex
	operations map[string]bool
}

// maxOperationLabels is how many operation names get a label of their own.
const maxOperationLabels = 200

// New registers the collectors, including connection pool stats of db.
func New(db *sql.DB) *Metrics {
	m := &Metrics{
		registry:   prometheus.NewRegistry(),
		operations: map[string]bool{},
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "aiusage_http_requests_total",
			Help: "HTTP requests by GraphQL operation (or route) and status code.",
		}, []string{"operation", "status"}),
		operationSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "aiusage_graphql_operation_duration_seconds",
			Help:    "GraphQL operation latency.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"operation"}),
		charges: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "aiusage_charges_total",
			Help: "Usage charges by category and result (charged, or the rejection code).",
		}, []string{"category", "result"}),
		creditsCharged: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "aiusage_credits_charged_total",
			Help: "Credits charged by category.",
		}, []string{"category"}),
		purchases: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "aiusage_bundle_purchases_total",
			Help: "Credit bundles bought.",
		}),
		creditsPurchased: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "aiusage_bundle_credits_purchased_total",
			Help: "Credits bought in bundles.",
		}),
		subscriptions: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "aiusage_subscriptions_active",
			Help: "Open GraphQL subscriptions.",
		}),
	}
	m.registry.MustRegister(
		m.requests, m.operationSeconds, m.charges, m.creditsCharged, m.purchases, m.creditsPurchased, m.subscriptions,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	if db != nil {
		m.registry.MustRegister(collectors.NewDBStatsCollector(db, "aiusage"))
	}
	return m
}

// Handler serves the metrics in Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{Registry: m.registry})
}

// ObserveRequest counts one HTTP request and times its GraphQL operation.
func (m *Metrics) ObserveRequest(operation string, status int, elapsed time.Duration, graphQL bool) {
	operation = m.operationLabel(operation)
	m.requests.WithLabelValues(operation, statusLabel(status)).Inc()
	if graphQL {
		m.operationSeconds.WithLabelValues(operation).Observe(elapsed.Seconds())
	}
}

func (m *Metrics) operationLabel(name string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.operations[name] {
		return name
	}
	if len(m.operations) >= maxOperationLabels {
		return "other"
	}
	m.operations[name] = true
	return name
}

// SubscriptionOpened and SubscriptionClosed track open subscriptions.
func (m *Metrics) SubscriptionOpened() { m.subscriptions.Inc() }

// SubscriptionClosed marks a subscription as ended.
func (m *Metrics) SubscriptionClosed() { m.subscriptions.Dec() }

// BeforeCommit implements credits.Observer; metrics wait for the commit.
func (m *Metrics) BeforeCommit(context.Context, *ent.Tx, *credits.Change) error { return nil }

// AfterCommit implements credits.Observer.
func (m *Metrics) AfterCommit(_ context.Context, c *credits.Change) {
	for _, r := range c.Charged {
		m.charges.WithLabelValues(string(r.Category), "charged").Inc()
		m.creditsCharged.WithLabelValues(string(r.Category)).Add(float64(r.Credits))
	}
	for _, r := range c.Rejected {
		m.charges.WithLabelValues(r.Category, rejectionResult(r.Err)).Inc()
	}
	if c.Purchased != nil {
		m.purchases.Inc()
		m.creditsPurchased.Add(float64(c.Purchased.Credits))
	}
}

// rejectionResult names a rejection with a small, fixed set of labels.
func rejectionResult(err error) string {
	var invalid *credits.InvalidArgumentError
	switch {
	case errors.Is(err, credits.ErrInsufficientCredits):
		return "insufficient_credits"
	case errors.Is(err, credits.ErrIdempotencyKeyReused):
		return "idempotency_key_reused"
	case errors.Is(err, credits.ErrCreditLimitExceeded):
		return "credit_limit_exceeded"
	case errors.Is(err, credits.ErrNotFound):
		return "not_found"
	case errors.As(err, &invalid):
		return "invalid_argument"
	default:
		return "error"
	}
}

func statusLabel(status int) string {
	const digits = "0123456789"
	if status < 100 || status > 999 {
		return "other"
	}
	return string([]byte{digits[status/100], digits[status/10%10], digits[status%10]})
}
