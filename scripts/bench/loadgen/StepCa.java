package loadgen;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.IntStream;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import static loadgen.Util.BC;
import static loadgen.Util.JSON;
import static loadgen.Util.abbreviate;
import static loadgen.Util.csr;
import static loadgen.Util.jsonPost;
import static loadgen.Util.keyPair;
import static loadgen.Util.log;
import static loadgen.Util.newClient;

/**
 * Scenario (p): smallstep's step-ca in RA mode on the same OpenBao, the peer the broker is held
 * against. Its VaultCAS forwards each CSR to {@code pki-tenants/<tenant>/sign/step-ca}, a role like
 * the broker's {@code agent} role but with {@code use_csr_sans=true} (VaultCAS sends only the CSR)
 * and IP SANs allowed (step-ca gets its own HTTPS certificate from the same role at start). It logs
 * in with an AppRole of its own whose policy allows that sign path and the CA chain read, nothing
 * else. A JWK provisioner (ES256) whose private key this class holds authorizes each
 * {@code POST /1.0/sign} with a one-time token (unique jti, enforced by step-ca's badger database),
 * minted before each window. Everything is generated here, in the bench's work directory.
 *
 * <p>Failure behaviour: when step-ca is missing (no Go) or does not start, (p) is reported as not
 * measured with the reason, and the other scenarios run as usual.
 */
final class StepCa {
    static final String ROLE = "step-ca";
    static final String POLICY = "bench-step-ca";
    static final String PROVISIONER = "bench";
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    private final Runner run;
    private final Env env;
    private final Process process;
    private final HttpClient client;
    private final String signUrl;
    private final PrivateKey jwkKey;
    private final String kid;
    /** CSR and the SPIFFE ID it names, cycled; step-ca checks the token's sans against the CSR's. */
    private final List<String[]> csrs;
    private volatile String sampleLeaf;
    private final double rate = 300;

    private StepCa(Runner run, Process process, HttpClient client, String signUrl, PrivateKey jwkKey, String kid,
                   List<String[]> csrs) {
        this.run = run;
        this.env = run.env;
        this.process = process;
        this.client = client;
        this.signUrl = signUrl;
        this.jwkKey = jwkKey;
        this.kid = kid;
        this.csrs = csrs;
    }

    /** Sets Vault up for step-ca, writes its configuration, starts it; null (and (p) skipped, with why) when it cannot. */
    static StepCa start(Runner run) {
        Env env = run.env;
        if (env.stepCaBin().isEmpty()) {
            return skip(run, env.stepCaMissing());
        }
        if (env.vaultRootToken().isEmpty()) {
            return skip(run, "no Vault root token (VAULT_TOKEN) to give step-ca its role and AppRole");
        }
        Path dir = Path.of(env.workDir(), "step-ca");
        Process process = null;
        try {
            Files.createDirectories(dir);
            Map<String, String> appRole = configureVault(run);
            String fingerprint = rootFingerprint(run);
            KeyPair jwk = keyPair("ec");
            String kid = thumbprint((ECPublicKey) jwk.getPublic());
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path config = dir.resolve("ca.json");
            Files.writeString(config, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(
                    caJson(env, port, dir, fingerprint, appRole, (ECPublicKey) jwk.getPublic(), kid)));
            ProcessBuilder pb = new ProcessBuilder(env.stepCaBin(), config.toString()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("step-ca.log").toFile());
            pb.environment().put("STEPPATH", dir.toString());
            process = pb.start();
            HttpClient client = newClient(run.trustRoot);
            String base = "https://127.0.0.1:" + port;
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (true) {
                if (!process.isAlive()) {
                    return skip(run, "step-ca exited at start (" + abbreviate(tail(dir.resolve("step-ca.log"))) + ")");
                }
                try {
                    HttpResponse<String> h = client.send(HttpRequest.newBuilder(java.net.URI.create(base + "/health"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
                    if (h.statusCode() == 200) {
                        break;
                    }
                } catch (IOException e) {
                    // not listening yet
                }
                if (System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    return skip(run, "step-ca did not answer /health within 60 s (" + abbreviate(tail(dir.resolve("step-ca.log"))) + ")");
                }
                Thread.sleep(250);
            }
            run.peerPid = process.pid();
            List<String[]> csrs = uriCsrs(run, Math.min(run.o.csrPool, 256));
            log("step-ca %s (RA mode, VaultCAS on %s/sign/%s) listening on %s, pid %d", version(env.stepCaBin()),
                    "pki-tenants/" + env.tenant(), ROLE, base, process.pid());
            run.notes.add("(p) step-ca " + version(env.stepCaBin()) + " in RA mode (authority.type vaultcas, AppRole login, role `"
                    + ROLE + "` on `pki-tenants/" + env.tenant() + "` = the broker's `agent` role with use_csr_sans=true and IP SANs "
                    + "allowed for its own HTTPS certificate), JWK provisioner (ES256 one-time tokens minted by the load generator "
                    + "outside the measured windows), badger database (each token's jti used once)");
            return new StepCa(run, process, client, base + "/1.0/sign", jwk.getPrivate(), kid, csrs);
        } catch (Exception e) {
            if (process != null) {
                process.destroyForcibly();
            }
            return skip(run, "setting up step-ca failed: " + abbreviate(e.toString()));
        }
    }

    private static StepCa skip(Runner run, String reason) {
        run.skipped.add(new Skipped("p", "step-ca not measured: " + reason));
        log("p  skipped: %s", reason);
        return null;
    }

    Runner.Side side() {
        return new Runner.Side("p", "step-ca sign (RA, VaultCAS)", Runner.sender(client), this::signRequests, this::signed,
                run.lastRate("p", run.enrollment.rawRate > 0 ? run.enrollment.rawRate : rate));
    }

    void stop() {
        run.peerPid = 0;
        process.destroy();
        try {
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private boolean signed(HttpResponse<String> r) {
        boolean ok = r.statusCode() == 201 && r.body().contains("\"crt\"");
        if (ok && sampleLeaf == null) {
            try {
                sampleLeaf = JSON.readTree(r.body()).path("crt").asText();
            } catch (IOException e) {
                // keep looking
            }
        }
        return ok;
    }

    /** {@code POST /1.0/sign {"csr", "ott"}}, one fresh one-time token each (minted here, before the window). */
    List<HttpRequest> signRequests(int n) {
        long now = System.currentTimeMillis() / 1000;
        return IntStream.range(0, n).parallel().mapToObj(i -> {
            String[] csr = csrs.get(i % csrs.size());
            return jsonPost(signUrl, null, Map.of("csr", csr[0], "ott", ott(csr[1], now)));
        }).toList();
    }

    /** The step CLI's token for a JWK provisioner: ES256, iss = provisioner, sub = sans = the SPIFFE ID, aud = the sign URL. */
    private String ott(String uri, long now) {
        try {
            Map<String, Object> header = new LinkedHashMap<>();
            header.put("alg", "ES256");
            header.put("kid", kid);
            header.put("typ", "JWT");
            Map<String, Object> claims = new LinkedHashMap<>();
            claims.put("iss", PROVISIONER);
            claims.put("sub", uri);
            claims.put("sans", List.of(uri));
            claims.put("aud", signUrl);
            claims.put("jti", UUID.randomUUID().toString());
            claims.put("iat", now);
            claims.put("nbf", now - 30);
            claims.put("exp", now + 900);
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            String input = b64.encodeToString(JSON.writeValueAsBytes(header)) + "." + b64.encodeToString(JSON.writeValueAsBytes(claims));
            Signature s = Signature.getInstance("SHA256withPLAIN-ECDSA", BC); // R || S, as JWS wants
            s.initSign(jwkKey);
            s.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + b64.encodeToString(s.sign());
        } catch (Exception e) {
            throw new IllegalStateException("minting a step-ca token", e);
        }
    }

    /**
     * Once per run: a leaf of (a), (p) and (b) each compared on what makes them equivalent (issuer,
     * empty subject, one critical SPIFFE URI SAN, key usages, lifetime); the result is in the report.
     */
    void checkEquivalentLeaves() {
        Map<String, String> leaves = new LinkedHashMap<>();
        leaves.put("a", run.enrollment.sampleRawLeaf);
        leaves.put("p", sampleLeaf);
        leaves.put("b", run.enrollment.sampleExchangeLeaf);
        Map<String, Map<String, Object>> profiles = new LinkedHashMap<>();
        leaves.forEach((k, pem) -> {
            if (pem != null && !pem.isBlank()) {
                profiles.put(k, profile(pem));
            }
        });
        List<String> differences = new ArrayList<>();
        Map<String, Object> reference = profiles.get("a") != null ? profiles.get("a") : profiles.values().stream().findFirst().orElse(null);
        if (reference != null) {
            profiles.forEach((k, p) -> p.forEach((field, value) -> {
                if (!Objects.equals(value, reference.get(field))) {
                    differences.add("(" + k + ") " + field + " = " + value + " (reference: " + reference.get(field) + ")");
                }
            }));
        }
        // A run of fewer scenarios (--scenarios b,p) compares the leaves it has and names the others.
        List<String> notRun = leaves.keySet().stream().filter(k -> !profiles.containsKey(k)).toList();
        run.equivalence.put("leaves", profiles);
        run.equivalence.put("compared", List.copyOf(profiles.keySet()));
        run.equivalence.put("not_compared", notRun);
        run.equivalence.put("equivalent", profiles.size() >= 2 && differences.isEmpty());
        run.equivalence.put("differences", differences);
        log("leaves of %s: %s%s", profiles.keySet(), differences.isEmpty() ? "equivalent" : "NOT equivalent: " + differences,
                notRun.isEmpty() ? "" : " (no leaf of " + notRun + ": not run)");
    }

    /** What the comparison looks at; the lifetime in minutes (backdating differs by seconds between issuers). */
    static Map<String, Object> profile(String pem) {
        try {
            X509Certificate c = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("issuer", c.getIssuerX500Principal().getName());
            p.put("subject", c.getSubjectX500Principal().getName());
            var sans = c.getSubjectAlternativeNames();
            p.put("san", sans == null ? "none" : sans.size() == 1 && Integer.valueOf(6).equals(sans.iterator().next().get(0))
                    && String.valueOf(sans.iterator().next().get(1)).startsWith("spiffe://") ? "one SPIFFE URI" : String.valueOf(sans));
            p.put("san_critical", c.getCriticalExtensionOIDs() != null && c.getCriticalExtensionOIDs().contains("2.5.29.17"));
            p.put("key_usage", c.getKeyUsage() == null ? "none" : Arrays.toString(c.getKeyUsage()));
            p.put("key_usage_critical", c.getCriticalExtensionOIDs() != null && c.getCriticalExtensionOIDs().contains("2.5.29.15"));
            p.put("extended_key_usage", String.valueOf(c.getExtendedKeyUsage()));
            p.put("ca", c.getBasicConstraints() != -1);
            p.put("lifetime_minutes", Math.round((c.getNotAfter().getTime() - c.getNotBefore().getTime()) / 60_000.0));
            return p;
        } catch (Exception e) {
            return Map.of("unreadable", e.toString());
        }
    }

    // ------------------------------------------------------------------ set-up

    /** The role, the policy and the AppRole; returns roleID and secretID for step-ca's configuration. */
    private static Map<String, String> configureVault(Runner run) throws IOException, InterruptedException {
        Env env = run.env;
        String mount = "pki-tenants/" + env.tenant();
        JsonNode agentRole = vaultCall(run, "GET", mount + "/roles/agent", null).path("data");
        if (agentRole.isMissingNode() || agentRole.isEmpty()) {
            throw new IllegalStateException("cannot read " + mount + "/roles/agent");
        }
        ObjectNode role = agentRole.deepCopy();
        role.put("use_csr_sans", true);
        role.put("allow_ip_sans", true); // step-ca's own HTTPS certificate (127.0.0.1) comes from this role too
        vaultCall(run, "POST", mount + "/roles/" + ROLE, role);
        String policy = "path \"" + mount + "/sign/" + ROLE + "\" { capabilities = [\"update\"] }\n"
                + "path \"" + mount + "/cert/ca_chain\" { capabilities = [\"read\"] }\n";
        vaultCall(run, "PUT", "sys/policies/acl/" + POLICY, Map.of("policy", policy));
        vaultCall(run, "POST", "auth/approle/role/" + POLICY, Map.of("token_policies", POLICY, "token_ttl", "1h",
                "token_max_ttl", "4h", "secret_id_num_uses", 0));
        String roleId = vaultCall(run, "GET", "auth/approle/role/" + POLICY + "/role-id", null).path("data").path("role_id").asText();
        String secretId = vaultCall(run, "POST", "auth/approle/role/" + POLICY + "/secret-id", Map.of())
                .path("data").path("secret_id").asText();
        return Map.of("roleID", roleId, "secretID", secretId);
    }

    private static JsonNode vaultCall(Runner run, String method, String path, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(java.net.URI.create(run.env.vaultAddr() + "/v1/" + path))
                .timeout(Duration.ofSeconds(30)).header("X-Vault-Token", run.env.vaultRootToken());
        if (body == null) {
            b.GET();
        } else {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        }
        HttpResponse<String> r = run.vault.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + " answered " + r.statusCode() + " " + abbreviate(r.body()));
        }
        return r.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(r.body());
    }

    /** SHA-256 of the self-signed certificate in the tenant's CA chain: VaultCAS checks Vault's root against it. */
    private static String rootFingerprint(Runner run) throws Exception {
        String chain = vaultCall(run, "GET", "pki-tenants/" + run.env.tenant() + "/cert/ca_chain", null).path("data")
                .path("certificate").asText();
        for (var c : CertificateFactory.getInstance("X.509").generateCertificates(
                new ByteArrayInputStream(chain.getBytes(StandardCharsets.US_ASCII)))) {
            X509Certificate x = (X509Certificate) c;
            if (x.getSubjectX500Principal().equals(x.getIssuerX500Principal())) {
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(x.getEncoded()));
            }
        }
        throw new IllegalStateException("the tenant's CA chain carries no root certificate");
    }

    private static Map<String, Object> caJson(Env env, int port, Path dir, String fingerprint, Map<String, String> appRole,
                                              ECPublicKey key, String kid) {
        Map<String, Object> vaultOptions = new LinkedHashMap<>();
        vaultOptions.put("pkiMountPath", "pki-tenants/" + env.tenant());
        vaultOptions.put("pkiRoleDefault", ROLE);
        vaultOptions.put("authType", "approle");
        vaultOptions.put("authMountPath", "approle");
        vaultOptions.put("authOptions", appRole);
        Map<String, Object> jwk = new LinkedHashMap<>(publicJwk(key));
        jwk.put("kid", kid);
        jwk.put("use", "sig");
        jwk.put("alg", "ES256");
        Map<String, Object> provisioner = new LinkedHashMap<>();
        provisioner.put("type", "JWK");
        provisioner.put("name", PROVISIONER);
        provisioner.put("key", jwk);
        provisioner.put("claims", Map.of("minTLSCertDuration", "5m", "maxTLSCertDuration", "24h", "defaultTLSCertDuration", "24h"));
        Map<String, Object> authority = new LinkedHashMap<>();
        authority.put("type", "vaultcas");
        authority.put("certificateAuthority", env.vaultAddr());
        authority.put("certificateAuthorityFingerprint", fingerprint);
        authority.put("config", vaultOptions);
        authority.put("provisioners", List.of(provisioner));
        Map<String, Object> ca = new LinkedHashMap<>();
        ca.put("address", "127.0.0.1:" + port);
        ca.put("dnsNames", List.of("127.0.0.1"));
        ca.put("logger", Map.of("format", "text"));
        ca.put("db", Map.of("type", "badgerv2", "dataSource", dir.resolve("db").toString()));
        ca.put("authority", authority);
        return ca;
    }

    private static Map<String, Object> publicJwk(ECPublicKey key) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("crv", "P-256");
        m.put("kty", "EC");
        m.put("x", b64.encodeToString(fixed(key.getW().getAffineX())));
        m.put("y", b64.encodeToString(fixed(key.getW().getAffineY())));
        return m;
    }

    /** RFC 7638 thumbprint: SHA-256 over the required members in lexicographic order. */
    private static String thumbprint(ECPublicKey key) throws Exception {
        Map<String, Object> m = publicJwk(key);
        String canonical = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" + m.get("x") + "\",\"y\":\"" + m.get("y") + "\"}";
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] fixed(BigInteger v) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[32];
        int n = Math.min(32, b.length);
        System.arraycopy(b, b.length - n, out, 32 - n, n);
        return out;
    }

    /** CSRs with an empty subject and one URI SAN (step-ca checks it against the token's sans; VaultCAS forwards it). */
    private static List<String[]> uriCsrs(Runner run, int n) throws Exception {
        List<String[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            KeyPair keys = keyPair(run.o.key);
            String uri = "spiffe://" + run.env.trustDomain() + "/tenant/" + run.env.tenant() + "/agent/" + UUID.randomUUID();
            ExtensionsGenerator ext = new ExtensionsGenerator();
            ext.addExtension(Extension.subjectAlternativeName, true,
                    new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, uri)));
            String alg = keys.getPublic().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            PKCS10CertificationRequest req = new JcaPKCS10CertificationRequestBuilder(new X500Name(new org.bouncycastle.asn1.x500.RDN[0]),
                    keys.getPublic()).addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate())
                    .build(new JcaContentSignerBuilder(alg).setProvider(BC).build(keys.getPrivate()));
            out.add(new String[]{"-----BEGIN CERTIFICATE REQUEST-----\n"
                    + Base64.getMimeEncoder(64, new byte[]{'\n'}).encodeToString(req.getEncoded())
                    + "\n-----END CERTIFICATE REQUEST-----\n", uri});
        }
        return out;
    }

    /** The pinned version bench.sh built (a plain {@code go install} leaves the binary's own version "dev"). */
    private static String version(String bin) {
        String pinned = System.getenv("BENCH_STEP_CA_VERSION");
        if (pinned != null && !pinned.isBlank()) {
            return pinned;
        }
        try {
            Process p = new ProcessBuilder(bin, "version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElse("?");
            p.waitFor();
            return out.trim();
        } catch (Exception e) {
            return "?";
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
        } catch (IOException e) {
            return "no log";
        }
    }
}
