// Package client is a typed Go client of the Smart Inventory REST API
// (/api/v1). It sends and receives the types of package api (api.Product,
// api.ProductInput, api.SaleResult, …), whose JSON shapes are the server's
// own (the server's tests compare them), and it turns problem+json error
// responses into *Error values that carry the API's error code.
//
//	c, err := client.New("http://localhost:8080", token)
//	p, err := c.ProductBySKU(ctx, "SKU-0001")
//
// It depends on the standard library and package api only, so a program
// that talks to a server does not build the server (a test checks the
// dependency list). The command line uses it for its remote mode;
// end-to-end tests use it against apptest servers.
package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"syscall"
	"time"

	"smartinventory/api"
)

// apiPrefix is where the server mounts the API.
const apiPrefix = "/api/v1"

// DefaultTimeout bounds each request unless WithHTTPClient or WithTimeout
// says otherwise.
const DefaultTimeout = 60 * time.Second

// maxResponse bounds the response bodies the client reads.
const maxResponse = 256 << 20

// Client talks to one Smart Inventory server with one bearer token. It is
// safe for concurrent use.
type Client struct {
	base      *url.URL // scheme://host[/path]/api/v1
	server    string   // the server URL as given, for messages
	token     string
	http      *http.Client
	userAgent string
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient makes the client send its requests with h.
func WithHTTPClient(h *http.Client) Option { return func(c *Client) { c.http = h } }

// WithTimeout bounds each request to d (default DefaultTimeout).
func WithTimeout(d time.Duration) Option {
	return func(c *Client) {
		h := *c.http
		h.Timeout = d
		c.http = &h
	}
}

// WithUserAgent sets the User-Agent header of every request.
func WithUserAgent(ua string) Option { return func(c *Client) { c.userAgent = ua } }

// New returns a client of the server at baseURL (for example
// "http://localhost:8080"; a trailing "/api/v1" is accepted too) that
// authenticates with token. It fails only when baseURL is not an absolute
// http or https URL.
func New(baseURL, token string, opts ...Option) (*Client, error) {
	raw := strings.TrimRight(strings.TrimSpace(baseURL), "/")
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("invalid server URL %q: want http://HOST[:PORT] or https://…", baseURL)
	}
	u.Path = strings.TrimSuffix(u.Path, apiPrefix) + apiPrefix
	u.RawQuery, u.Fragment = "", ""
	server := *u
	server.Path = strings.TrimSuffix(server.Path, apiPrefix)
	c := &Client{
		base:      u,
		server:    server.String(),
		token:     strings.TrimSpace(token),
		http:      &http.Client{Timeout: DefaultTimeout},
		userAgent: "smartinventory-client",
	}
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

// Server returns the server URL the client talks to, without the API prefix.
func (c *Client) Server() string { return c.server }

// Error is an error response of the API: an RFC 9457 problem+json (or, from
// something in front of the server, any other error status).
type Error struct {
	Status  int              // HTTP status
	Title   string           // short summary ("Conflict")
	Detail  string           // the service's message
	Code    string           // api error code (api.ECONFLICT, …); derived from Status when the body has none
	Fields  []api.FieldError // per-field problems of a validation error
	Type    string           // problem type URI
	Current json.RawMessage  // current representation on a stale-version conflict
}

// Message is the service's message: the detail, else the title, else
// "HTTP STATUS".
func (e *Error) Message() string {
	switch {
	case e.Detail != "":
		return e.Detail
	case e.Title != "":
		return e.Title
	}
	return fmt.Sprintf("HTTP %d", e.Status)
}

// Error returns the message and the field problems on one line.
func (e *Error) Error() string { return api.ErrorText(e.Message(), e.Fields) }

// ErrorCode returns the API error code of err: the Code of an *Error in its
// chain, api.EINTERNAL for any other error (a *NetError, …), "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return api.EINTERNAL
}

// NetError reports that the server could not be reached or did not answer.
type NetError struct {
	Server string // the server URL
	Err    error  // the transport error
}

// Error returns "cannot reach SERVER: REASON", REASON as short as possible
// ("connection refused", "no such host", "timed out").
func (e *NetError) Error() string { return "cannot reach " + e.Server + ": " + netReason(e.Err) }

// Unwrap returns the transport error.
func (e *NetError) Unwrap() error { return e.Err }

// netReason shortens a transport error to its cause.
func netReason(err error) string {
	var errno syscall.Errno
	var dns *net.DNSError
	var ne net.Error
	switch {
	case errors.As(err, &errno):
		return errno.Error()
	case errors.As(err, &dns):
		if dns.IsNotFound {
			return "no such host " + dns.Name
		}
		return dns.Err
	case errors.Is(err, os.ErrDeadlineExceeded), errors.Is(err, context.DeadlineExceeded):
		return "timed out"
	case errors.As(err, &ne) && ne.Timeout():
		return "timed out"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "connection closed by the server"
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err.Error()
	}
	return err.Error()
}

// do sends a request and decodes a 2xx JSON response into out (when not
// nil). query may be nil; body, when not nil, is sent as JSON (a
// json.RawMessage as is).
func (c *Client) do(ctx context.Context, method, path string, query url.Values, body, out any) error {
	u := *c.base
	u.Path += path
	if len(query) > 0 {
		u.RawQuery = query.Encode()
	}
	var r io.Reader
	if body != nil {
		raw, ok := body.(json.RawMessage)
		if !ok {
			var err error
			if raw, err = json.Marshal(body); err != nil {
				return fmt.Errorf("client: encode %s %s body: %w", method, path, err)
			}
		}
		r = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), r)
	if err != nil {
		return fmt.Errorf("client: %s %s: %w", method, path, err)
	}
	req.Header.Set("Accept", "application/json, "+api.ProblemContentType)
	req.Header.Set("User-Agent", c.userAgent)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return &NetError{Server: c.server, Err: err}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return &NetError{Server: c.server, Err: err}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return decodeError(resp, data)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("client: decode the response of %s %s: %w", method, path, err)
	}
	return nil
}

// decodeError turns an error response into an *Error.
func decodeError(resp *http.Response, data []byte) *Error {
	e := &Error{Status: resp.StatusCode}
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if mt == api.ProblemContentType || mt == "application/json" {
		var p struct {
			api.Problem
			Current json.RawMessage `json:"current"` // kept as sent
		}
		if json.Unmarshal(data, &p) == nil {
			e.Type, e.Title, e.Detail, e.Code, e.Fields, e.Current = p.Type, p.Title, p.Detail, p.Code, p.Errors, p.Current
		}
	}
	if e.Title == "" {
		e.Title = http.StatusText(resp.StatusCode)
	}
	if e.Detail == "" && resp.StatusCode >= 500 {
		e.Detail = fmt.Sprintf("The server failed (HTTP %d %s).", resp.StatusCode, http.StatusText(resp.StatusCode))
	}
	if e.Code == "" {
		e.Code = api.CodeFor(resp.StatusCode)
	}
	return e
}
