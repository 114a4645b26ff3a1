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
	_, port, err := net.SplitHostPort(env("ADDR", ":8080"))
	if err != nil {
		return fmt.Errorf("parsing ADDR: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://127.0.0.1:"+port+"/healthz", nil)
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
