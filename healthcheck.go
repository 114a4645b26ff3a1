package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"
)

// healthcheck implements `healthcheck`: it probes the local server's
// /healthz, for container HEALTHCHECKs in images without a shell or curl.
func healthcheck(ctx context.Context, _ []string) error {
	host, port, err := net.SplitHostPort(env("ADDR", ":8080"))
	if err != nil {
		return fmt.Errorf("parsing ADDR: %w", err)
	}
	if ip := net.ParseIP(host); host == "" || (ip != nil && ip.IsUnspecified()) {
		host = "127.0.0.1"
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+net.JoinHostPort(host, port)+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("probing server: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("server unhealthy: %s", resp.Status)
	}
	return nil
}
