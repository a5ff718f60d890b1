// spiffe-probe: an unmodified go-spiffe v2 client used by ib-agent's integration tests.
//
//	spiffe-probe x509 -socket unix:///path -updates N -timeout 60s
//	    watches the Workload API and prints one JSON line per X.509 context received; exits 0
//	    once N distinct SVIDs (by serial) were seen, each verified against the bundle it came with.
//	spiffe-probe jwt -socket unix:///path -audience A [-audience B]
//	    fetches a JWT-SVID, validates it locally against the JWT bundles from the socket, and
//	    asks the agent's ValidateJWTSVID too; prints one JSON line.
//	spiffe-probe federation -url URL -trust-domain TD -ca-file PEM
//	    federation.FetchBundle (web PKI, roots from -ca-file); prints the X.509 roots (SHA-256 of DER).
//	spiffe-probe nometa -socket unix:///path
//	    calls FetchX509SVID without the security header; prints the gRPC status code.
package main

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/spiffe/go-spiffe/v2/federation"
	workload "github.com/spiffe/go-spiffe/v2/proto/spiffe/workload"
	"github.com/spiffe/go-spiffe/v2/spiffeid"
	"github.com/spiffe/go-spiffe/v2/svid/jwtsvid"
	"github.com/spiffe/go-spiffe/v2/workloadapi"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
)

type audiences []string

func (a *audiences) String() string     { return strings.Join(*a, ",") }
func (a *audiences) Set(v string) error { *a = append(*a, v); return nil }

func main() {
	if len(os.Args) < 2 {
		fail(errors.New("usage: spiffe-probe x509|jwt|federation|nometa ..."))
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	socket := fs.String("socket", os.Getenv("SPIFFE_ENDPOINT_SOCKET"), "Workload API address (unix:///path)")
	updates := fs.Int("updates", 2, "distinct X.509-SVIDs to wait for")
	timeout := fs.Duration("timeout", 90*time.Second, "overall deadline")
	url := fs.String("url", "", "bundle endpoint URL")
	td := fs.String("trust-domain", "", "trust domain of the bundle endpoint")
	caFile := fs.String("ca-file", "", "PEM roots for the bundle endpoint's TLS certificate")
	var aud audiences
	fs.Var(&aud, "audience", "JWT-SVID audience (repeatable)")
	_ = fs.Parse(os.Args[2:])
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	switch os.Args[1] {
	case "x509":
		fail(watchX509(ctx, *socket, *updates))
	case "jwt":
		fail(jwt(ctx, *socket, aud))
	case "federation":
		fail(fetchBundle(ctx, *url, *td, *caFile))
	case "nometa":
		fail(noMetadata(ctx, *socket))
	default:
		fail(fmt.Errorf("unknown mode %q", os.Args[1]))
	}
}

func fail(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "spiffe-probe:", err)
		os.Exit(1)
	}
}

func emit(v any) {
	b, _ := json.Marshal(v)
	fmt.Println(string(b))
}

type watcher struct {
	want   int
	seen   map[string]bool
	done   chan struct{}
	errors chan error
}

func (w *watcher) OnX509ContextUpdate(c *workloadapi.X509Context) {
	svid := c.DefaultSVID()
	leaf := svid.Certificates[0]
	b, err := c.Bundles.GetX509BundleForTrustDomain(svid.ID.TrustDomain())
	if err != nil {
		w.errors <- err
		return
	}
	pool := x509.NewCertPool()
	for _, r := range b.X509Authorities() {
		pool.AddCert(r)
	}
	inter := x509.NewCertPool()
	for _, c := range svid.Certificates[1:] {
		inter.AddCert(c)
	}
	_, verr := leaf.Verify(x509.VerifyOptions{Roots: pool, Intermediates: inter, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}})
	serial := leaf.SerialNumber.Text(16)
	emit(map[string]any{"event": "x509", "spiffe_id": svid.ID.String(), "serial": serial,
		"not_after": leaf.NotAfter.UTC().Format(time.RFC3339), "verified": verr == nil})
	if verr != nil {
		w.errors <- fmt.Errorf("SVID %s does not verify against its bundle: %w", serial, verr)
		return
	}
	if !w.seen[serial] {
		w.seen[serial] = true
		if len(w.seen) == w.want {
			close(w.done)
		}
	}
}

func (w *watcher) OnX509ContextWatchError(err error) {
	if status.Code(err) != 1 { // Canceled when we stop
		emit(map[string]any{"event": "watch_error", "error": err.Error()})
	}
}

func watchX509(ctx context.Context, socket string, want int) error {
	client, err := workloadapi.New(ctx, workloadapi.WithAddr(socket))
	if err != nil {
		return err
	}
	defer client.Close()
	w := &watcher{want: want, seen: map[string]bool{}, done: make(chan struct{}), errors: make(chan error, 4)}
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	go func() { _ = client.WatchX509Context(wctx, w) }()
	select {
	case <-w.done:
		emit(map[string]any{"event": "done", "distinct_svids": len(w.seen)})
		return nil
	case err := <-w.errors:
		return err
	case <-ctx.Done():
		return fmt.Errorf("saw %d distinct SVIDs of %d before the deadline", len(w.seen), want)
	}
}

func jwt(ctx context.Context, socket string, aud audiences) error {
	if len(aud) == 0 {
		return errors.New("-audience is required")
	}
	client, err := workloadapi.New(ctx, workloadapi.WithAddr(socket))
	if err != nil {
		return err
	}
	defer client.Close()
	params := jwtsvid.Params{Audience: aud[0], ExtraAudiences: aud[1:]}
	svid, err := client.FetchJWTSVID(ctx, params)
	if err != nil {
		return fmt.Errorf("FetchJWTSVID: %w", err)
	}
	bundles, err := client.FetchJWTBundles(ctx)
	if err != nil {
		return fmt.Errorf("FetchJWTBundles: %w", err)
	}
	parsed, err := jwtsvid.ParseAndValidate(svid.Marshal(), bundles, aud)
	if err != nil {
		return fmt.Errorf("local validation against the JWT bundle: %w", err)
	}
	remote, err := client.ValidateJWTSVID(ctx, svid.Marshal(), aud[0])
	if err != nil {
		return fmt.Errorf("ValidateJWTSVID: %w", err)
	}
	// A token for another audience must be refused by the agent.
	_, wrongAud := client.ValidateJWTSVID(ctx, svid.Marshal(), "not-"+aud[0])
	b, err := bundles.GetJWTBundleForTrustDomain(parsed.ID.TrustDomain())
	if err != nil {
		return err
	}
	emit(map[string]any{"event": "jwt", "spiffe_id": parsed.ID.String(), "audience": parsed.Audience,
		"expiry": parsed.Expiry.UTC().Format(time.RFC3339), "validated_remotely_as": remote.ID.String(),
		"jwt_authorities": len(b.JWTAuthorities()), "wrong_audience_refused": wrongAud != nil})
	return nil
}

func fetchBundle(ctx context.Context, url, td, caFile string) error {
	trustDomain, err := spiffeid.TrustDomainFromString(td)
	if err != nil {
		return err
	}
	pem, err := os.ReadFile(caFile)
	if err != nil {
		return err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return errors.New("no certificate in -ca-file")
	}
	b, err := federation.FetchBundle(ctx, trustDomain, url, federation.WithWebPKIRoots(pool))
	if err != nil {
		return fmt.Errorf("federation.FetchBundle: %w", err)
	}
	roots := b.X509Authorities()
	var sums []string
	for _, r := range roots {
		s := sha256.Sum256(r.Raw)
		sums = append(sums, hex.EncodeToString(s[:]))
	}
	seq, _ := b.SequenceNumber()
	hint, _ := b.RefreshHint()
	emit(map[string]any{"event": "federation", "trust_domain": b.TrustDomain().String(), "x509_roots_sha256": sums,
		"jwt_authorities": len(b.JWTAuthorities()), "sequence": seq, "refresh_hint_seconds": hint.Seconds()})
	return nil
}

func noMetadata(ctx context.Context, socket string) error {
	conn, err := grpc.NewClient(socket, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return err
	}
	defer conn.Close()
	stream, err := workload.NewSpiffeWorkloadAPIClient(conn).FetchX509SVID(ctx, &workload.X509SVIDRequest{})
	if err == nil {
		_, err = stream.Recv()
	}
	emit(map[string]any{"event": "nometa", "code": status.Code(err).String()})
	return nil
}
