package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// gqlClient posts GraphQL requests as the SPA and the AI features do: JSON
// over POST /graphql with a Bearer API key, on kept-alive connections.
type gqlClient struct {
	endpoint string
	http     *http.Client
}

func newClient(baseURL string, conns int) *gqlClient {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = conns * 2
	t.MaxIdleConnsPerHost = conns * 2 // one connection per client, none re-dialled
	return &gqlClient{
		endpoint: strings.TrimSuffix(baseURL, "/") + "/graphql",
		http:     &http.Client{Transport: t, Timeout: time.Minute},
	}
}

// post sends body with key's credentials and reads the response into buf.
// Any status but 200 is an error: the API answers GraphQL errors with 200.
func (c *gqlClient) post(ctx context.Context, key string, body []byte, buf *bytes.Buffer) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+key)
	res, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	buf.Reset()
	if _, err := buf.ReadFrom(res.Body); err != nil {
		return fmt.Errorf("reading response: %w", err)
	}
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("HTTP %d: %.300s", res.StatusCode, buf.Bytes())
	}
	return nil
}

// gqlError is one entry of a response's errors.
type gqlError struct {
	Message    string `json:"message"`
	Extensions struct {
		Code string `json:"code"`
	} `json:"extensions"`
}

func (e gqlError) String() string { return e.Extensions.Code + ": " + e.Message }

// firstError returns the response's first GraphQL error, if any.
func firstError(errs []gqlError) error {
	if len(errs) == 0 {
		return nil
	}
	return fmt.Errorf("%s", errs[0])
}

// requestTemplate builds request bodies for one query without re-encoding
// the query text each time: the load generator shares the CPU with the
// server, so it should spend as little of it as it can.
type requestTemplate struct{ prefix []byte }

func newTemplate(query string) requestTemplate {
	q, _ := json.Marshal(query)
	return requestTemplate{prefix: append(append([]byte(`{"query":`), q...), `,"variables":`...)}
}

// newOperationTemplate prepares requests for one named operation of a
// document holding several.
func newOperationTemplate(document, operation string) requestTemplate {
	q, _ := json.Marshal(document)
	op, _ := json.Marshal(operation)
	return requestTemplate{prefix: fmt.Appendf(nil, `{"query":%s,"operationName":%s,"variables":`, q, op)}
}

// body appends the request with the variables JSON that vars appends.
func (t requestTemplate) body(dst []byte, vars func([]byte) []byte) []byte {
	dst = append(dst, t.prefix...)
	dst = vars(dst)
	return append(dst, '}')
}
