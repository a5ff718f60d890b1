// spiffe-peer is a foreign SPIFFE trust domain for the broker's federation tests: its own CA
// and JWT signing key, a SPIFFE bundle endpoint served by go-spiffe's federation.NewHandler over
// https_web (a self-signed serving certificate the test trusts), and a small control API on the
// same listener that mints X.509-SVIDs and JWT-SVIDs and makes the bundle endpoint fail.
//
//	spiffe-peer -td example.org -dir DIR [-refresh-hint 2s] [-profile https_web|https_spiffe]
//
// It writes DIR/server.pem (the serving certificate to trust) and then DIR/addr (host:port) once
// it listens. Routes: GET /bundle (the federation endpoint), GET /mint/x509?id=&ttl=,
// GET /mint/jwt?id=&aud=&ttl=&alg=, POST /fail?on=true|false, POST /rotate-jwt-key.
package main

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"flag"
	"fmt"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
	"github.com/spiffe/go-spiffe/v2/bundle/spiffebundle"
	"github.com/spiffe/go-spiffe/v2/federation"
	"github.com/spiffe/go-spiffe/v2/spiffeid"
)

type peer struct {
	td      spiffeid.TrustDomain
	caKey   *ecdsa.PrivateKey
	caCert  *x509.Certificate
	hint    time.Duration
	mu      sync.Mutex
	jwtKey  *ecdsa.PrivateKey
	jwtKid  string
	seq     uint64
	failing atomic.Bool
}

func main() {
	tdName := flag.String("td", "example.org", "trust domain")
	dir := flag.String("dir", ".", "where server.pem and addr are written")
	hint := flag.Duration("refresh-hint", 2*time.Second, "spiffe_refresh_hint of the bundle")
	profile := flag.String("profile", "https_web", "https_web (self-signed serving certificate) or https_spiffe (an SVID of the peer's CA)")
	flag.Parse()
	td, err := spiffeid.TrustDomainFromString(*tdName)
	check(err)
	p := &peer{td: td, hint: *hint}
	p.caKey, p.caCert = newCA(td)
	p.rotateJWTKey()

	handler, err := federation.NewHandler(td, p)
	check(err)
	mux := http.NewServeMux()
	mux.Handle("/bundle", failable{p, handler})
	mux.HandleFunc("/mint/x509", p.mintX509)
	mux.HandleFunc("/mint/jwt", p.mintJWT)
	mux.HandleFunc("/fail", func(w http.ResponseWriter, r *http.Request) {
		p.failing.Store(r.URL.Query().Get("on") == "true")
	})
	mux.HandleFunc("/rotate-jwt-key", func(w http.ResponseWriter, r *http.Request) { p.rotateJWTKey() })

	// server.pem is what a client trusts for this listener: the self-signed certificate itself, or
	// for https_spiffe the CA that issued the serving SVID spiffe://<td>/bundle-endpoint.
	serverCert := selfSignedServer()
	trust := serverCert.Certificate[0]
	if *profile == "https_spiffe" {
		serverCert = p.servingSVID()
		trust = p.caCert.Raw
	}
	check(os.WriteFile(filepath.Join(*dir, "server.pem"), pemOf("CERTIFICATE", trust), 0o644))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	addrFile := filepath.Join(*dir, "addr")
	check(os.WriteFile(addrFile+".tmp", []byte(ln.Addr().String()), 0o644))
	check(os.Rename(addrFile+".tmp", addrFile))
	srv := &http.Server{Handler: mux, TLSConfig: &tls.Config{Certificates: []tls.Certificate{serverCert}},
		ReadHeaderTimeout: 5 * time.Second}
	log.Fatal(srv.ServeTLS(ln, "", ""))
}

// GetBundleForTrustDomain makes the peer a spiffebundle.Source: a fresh bundle with a new sequence number.
func (p *peer) GetBundleForTrustDomain(td spiffeid.TrustDomain) (*spiffebundle.Bundle, error) {
	if td != p.td {
		return nil, fmt.Errorf("no bundle for %s", td)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.seq++
	b := spiffebundle.New(td)
	b.AddX509Authority(p.caCert)
	check(b.AddJWTAuthority(p.jwtKid, p.jwtKey.Public()))
	b.SetRefreshHint(p.hint)
	b.SetSequenceNumber(p.seq)
	return b, nil
}

type failable struct {
	p    *peer
	next http.Handler
}

func (f failable) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if f.p.failing.Load() {
		http.Error(w, "bundle endpoint down for the test", http.StatusServiceUnavailable)
		return
	}
	f.next.ServeHTTP(w, r)
}

func (p *peer) rotateJWTKey() {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	check(err)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.jwtKey = key
	p.jwtKid = fmt.Sprintf("peer-%d", time.Now().UnixNano())
}

// mintX509 answers {"certificate": PEM, "key": PEM (PKCS#8)} for an X.509-SVID of the given ID;
// a negative ttl gives a certificate that already expired.
func (p *peer) mintX509(w http.ResponseWriter, r *http.Request) {
	id, ttl, ok := idAndTTL(w, r)
	if !ok {
		return
	}
	u, _ := url.Parse(id.String())
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	check(err)
	notBefore, notAfter := time.Now().Add(-time.Minute), time.Now().Add(ttl)
	if ttl < 0 {
		notBefore = notAfter.Add(-time.Hour)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial(), Subject: pkix.Name{CommonName: "svid"},
		NotBefore: notBefore, NotAfter: notAfter, URIs: []*url.URL{u},
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, p.caCert, key.Public(), p.caKey)
	check(err)
	pk, err := x509.MarshalPKCS8PrivateKey(key)
	check(err)
	writeJSON(w, map[string]string{"certificate": string(pemOf("CERTIFICATE", der)), "key": string(pemOf("PRIVATE KEY", pk))})
}

// mintJWT answers {"token": JWT-SVID} signed with the current bundle key (alg ES256).
func (p *peer) mintJWT(w http.ResponseWriter, r *http.Request) {
	id, ttl, ok := idAndTTL(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	p.mu.Lock()
	key, kid := p.jwtKey, p.jwtKid
	p.mu.Unlock()
	var signingKey crypto.Signer = key
	sig, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: signingKey},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", kid))
	check(err)
	now := time.Now()
	claims := jwt.Claims{Subject: id.String(), Audience: jwt.Audience{q.Get("aud")},
		IssuedAt: jwt.NewNumericDate(now.Add(-time.Minute)), Expiry: jwt.NewNumericDate(now.Add(ttl))}
	extra := map[string]any{}
	if jti := q.Get("jti"); jti != "" {
		extra["jti"] = jti
	}
	token, err := jwt.Signed(sig).Claims(claims).Claims(extra).Serialize()
	check(err)
	writeJSON(w, map[string]string{"token": token})
}

func idAndTTL(w http.ResponseWriter, r *http.Request) (spiffeid.ID, time.Duration, bool) {
	id, err := spiffeid.FromString(r.URL.Query().Get("id"))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return spiffeid.ID{}, 0, false
	}
	ttl := 5 * time.Minute
	if s := r.URL.Query().Get("ttl"); s != "" {
		if ttl, err = time.ParseDuration(s); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return spiffeid.ID{}, 0, false
		}
	}
	return id, ttl, true
}

// servingSVID is an X.509-SVID for spiffe://<td>/bundle-endpoint (with IP SAN 127.0.0.1 so the
// test's control calls can verify it too), for the https_spiffe profile.
func (p *peer) servingSVID() tls.Certificate {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	check(err)
	u, _ := url.Parse(p.td.IDString() + "/bundle-endpoint")
	tmpl := &x509.Certificate{
		SerialNumber: serial(), Subject: pkix.Name{CommonName: "bundle-endpoint"},
		NotBefore: time.Now().Add(-time.Minute), NotAfter: time.Now().Add(24 * time.Hour),
		URIs: []*url.URL{u}, IPAddresses: []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, p.caCert, key.Public(), p.caKey)
	check(err)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

func newCA(td spiffeid.TrustDomain) (*ecdsa.PrivateKey, *x509.Certificate) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	check(err)
	u, _ := url.Parse(td.IDString())
	tmpl := &x509.Certificate{
		SerialNumber: serial(), Subject: pkix.Name{CommonName: "spiffe-peer CA " + td.Name()},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, URIs: []*url.URL{u},
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	check(err)
	cert, err := x509.ParseCertificate(der)
	check(err)
	return key, cert
}

func selfSignedServer() tls.Certificate {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	check(err)
	tmpl := &x509.Certificate{
		SerialNumber: serial(), Subject: pkix.Name{CommonName: "127.0.0.1"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
		IsCA: true, BasicConstraintsValid: true,
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	check(err)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

func serial() *big.Int {
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 126))
	check(err)
	return n
}

func pemOf(kind string, der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}
