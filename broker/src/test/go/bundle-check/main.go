// bundle-check is an unmodified SPIFFE client (go-spiffe v2) pointed at the broker: it fetches a
// trust domain's bundle through go-spiffe's federation client (https_web profile, the broker's
// certificate checked against the given web PKI roots) and, when a JWT-SVID is given on stdin,
// validates it with go-spiffe's jwtsvid package against that bundle for the given audience.
//
// Usage: bundle-check <trust_domain> <bundle_url> <roots.pem> [audience]
//
// Prints one JSON object; exits 1 with the error on stderr when fetching or validating fails.
package main

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/spiffe/go-spiffe/v2/federation"
	"github.com/spiffe/go-spiffe/v2/spiffeid"
	"github.com/spiffe/go-spiffe/v2/svid/jwtsvid"
)

type svidOut struct {
	ID       string   `json:"id"`
	Audience []string `json:"audience"`
	Expiry   string   `json:"expiry"`
}

type out struct {
	TrustDomain     string   `json:"trust_domain"`
	Sequence        uint64   `json:"sequence"`
	HasSequence     bool     `json:"has_sequence"`
	RefreshHint     float64  `json:"refresh_hint_seconds"`
	X509Authorities []string `json:"x509_authorities"`
	JWTAuthorities  []string `json:"jwt_authorities"`
	JWTSVID         *svidOut `json:"jwt_svid,omitempty"`
}

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}

func main() {
	if len(os.Args) < 4 {
		fail("usage: bundle-check <trust_domain> <bundle_url> <roots.pem> [audience]")
	}
	td, err := spiffeid.TrustDomainFromString(os.Args[1])
	if err != nil {
		fail("trust domain: %v", err)
	}
	pem, err := os.ReadFile(os.Args[3])
	if err != nil {
		fail("roots: %v", err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(pem) {
		fail("roots: no certificate in %s", os.Args[3])
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	bundle, err := federation.FetchBundle(ctx, td, os.Args[2], federation.WithWebPKIRoots(roots))
	if err != nil {
		fail("fetch: %v", err)
	}
	o := out{TrustDomain: bundle.TrustDomain().Name(), X509Authorities: []string{}, JWTAuthorities: []string{}}
	o.Sequence, o.HasSequence = bundle.SequenceNumber()
	if hint, ok := bundle.RefreshHint(); ok {
		o.RefreshHint = hint.Seconds()
	}
	for _, c := range bundle.X509Authorities() {
		o.X509Authorities = append(o.X509Authorities, c.Subject.String())
	}
	for kid := range bundle.JWTAuthorities() {
		o.JWTAuthorities = append(o.JWTAuthorities, kid)
	}
	sort.Strings(o.JWTAuthorities)
	if len(os.Args) > 4 {
		raw, err := io.ReadAll(os.Stdin)
		if err != nil {
			fail("stdin: %v", err)
		}
		svid, err := jwtsvid.ParseAndValidate(strings.TrimSpace(string(raw)), bundle, []string{os.Args[4]})
		if err != nil {
			fail("jwt-svid: %v", err)
		}
		o.JWTSVID = &svidOut{ID: svid.ID.String(), Audience: svid.Audience, Expiry: svid.Expiry.UTC().Format(time.RFC3339)}
	}
	if err := json.NewEncoder(os.Stdout).Encode(o); err != nil {
		fail("output: %v", err)
	}
}
