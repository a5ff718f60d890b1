package io.identitybroker.est;

import io.identitybroker.agent.AgentAuthenticationException;
import io.identitybroker.agent.AgentAuthenticator;
import io.identitybroker.agent.AgentLifecycleService;
import io.identitybroker.agent.AgentPrincipal;
import io.identitybroker.api.CorrelationId;
import io.identitybroker.api.ProblemException;
import io.identitybroker.api.Protocol;
import io.identitybroker.api.RequestContext;
import io.identitybroker.enrollment.EnrollmentExchangeService;
import io.identitybroker.enrollment.ExchangeResponse;
import io.identitybroker.pki.Pem;
import io.identitybroker.tenant.Tenant;
import io.identitybroker.tenant.TenantService;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.util.Base64;
import java.util.List;

/**
 * RFC 7030 per tenant: {@code /.well-known/est/{tenant}/...}, and the unlabelled paths for
 * {@code broker.est.default-tenant} when one is set (404 otherwise). Micronaut Security lets every
 * request through; this controller authenticates each one itself:
 * <ul>
 *   <li>{@code simpleenroll}: the one-time enrollment token is the HTTP Basic password (any user
 *       name); the enrollment core checks it, the CSR and the label's tenant, and records the agent;</li>
 *   <li>{@code simplereenroll}: TLS client authentication with the agent's current bound
 *       certificate ({@link AgentAuthenticator#authenticateReenrollment}); the rotation core
 *       switches the binding. A certificate of another tenant than the label's is refused (403).</li>
 * </ul>
 * {@code cacerts} and {@code csrattrs} are public, as RFC 7030 §4.1.1 and §4.5.1 expect. Every
 * refusal is rendered by {@link EstErrors}; the audit events are those of the JSON API with
 * {@code protocol: est}.
 */
@Controller("/.well-known/est")
@Secured(SecurityRule.IS_ANONYMOUS)
public class EstController {
    static final String PKCS10 = "application/pkcs10";
    static final String PKCS7 = "application/pkcs7-mime";
    static final String CSRATTRS_TYPE = "application/csrattrs";
    static final String TEXT = "text/plain";
    static final MediaType CERTS_ONLY = MediaType.of(PKCS7 + "; smime-type=certs-only");
    static final MediaType CSRATTRS = MediaType.of(CSRATTRS_TYPE);
    /** Tells an EST-enrolled agent its id, which EST's answer (a certificate) otherwise only carries in its SPIFFE ID. */
    static final String AGENT_ID_HEADER = "Identity-Broker-Agent-Id";

    private final EnrollmentExchangeService exchange;
    private final AgentLifecycleService lifecycle;
    private final AgentAuthenticator authenticator;
    private final TenantService tenants;
    private final EstCaCertificates caCertificates;
    private final EstConfiguration properties;

    public EstController(EnrollmentExchangeService exchange, AgentLifecycleService lifecycle,
                         AgentAuthenticator authenticator, TenantService tenants, EstCaCertificates caCertificates,
                         EstConfiguration properties) {
        this.exchange = exchange;
        this.lifecycle = lifecycle;
        this.authenticator = authenticator;
        this.tenants = tenants;
        this.caCertificates = caCertificates;
        this.properties = properties;
    }

    // ------------------------------------------------------------------ labelled: /.well-known/est/{tenant}/...

    @Get(value = "/{tenant:[^/]+}/cacerts", produces = {PKCS7, TEXT})
    public HttpResponse<String> cacerts(@PathVariable("tenant") String label) {
        Tenant tenant = tenants.find(label).orElse(null);
        if (tenant == null) {
            return EstErrors.notFound("No EST service under the label '" + printable(label) + "'.");
        }
        return base64(CERTS_ONLY, CertsOnly.encode(caCertificates.chainOf(tenant)));
    }

    @Get(value = "/{tenant:[^/]+}/csrattrs", produces = {CSRATTRS_TYPE, TEXT})
    public HttpResponse<String> csrattrs(@PathVariable("tenant") String label) {
        if (tenants.find(label).isEmpty()) {
            return EstErrors.notFound("No EST service under the label '" + printable(label) + "'.");
        }
        return base64(CSRATTRS, CsrAttributes.DER);
    }

    /** An unknown label is not told apart here: no token can match it, so it is the same 401 (reason {@code tenant_mismatch}). */
    @Post(value = "/{tenant:[^/]+}/simpleenroll", consumes = PKCS10, produces = {PKCS7, TEXT})
    public HttpResponse<String> simpleenroll(HttpRequest<?> request, @PathVariable("tenant") String label,
                                             @Nullable @Body String body) {
        RequestContext ctx = new RequestContext("agent:enrollment", CorrelationId.of(request), Protocol.EST);
        ExchangeResponse enrolled = exchange.exchange(EstRequests.basicPassword(request), EstRequests.csrPem(body),
                label, Protocol.EST, ctx);
        return base64(CERTS_ONLY, CertsOnly.encode(List.of(Pem.certificate(enrolled.certificate()))))
                .header(AGENT_ID_HEADER, enrolled.agentId());
    }

    @Post(value = "/{tenant:[^/]+}/simplereenroll", consumes = PKCS10, produces = {PKCS7, TEXT})
    public HttpResponse<String> simplereenroll(HttpRequest<?> request, @PathVariable("tenant") String label,
                                               @Nullable @Body String body) {
        RequestContext ctx = new RequestContext("agent:unknown", CorrelationId.of(request), Protocol.EST);
        AgentPrincipal principal;
        try {
            principal = authenticator.authenticateReenrollment(request, label);
        } catch (AgentAuthenticationException e) {
            lifecycle.auditRefusal(AgentLifecycleService.ROTATED, e,
                    e.agentId() == null ? ctx : ctx.as("agent:" + e.agentId()));
            throw e;
        }
        ctx = ctx.as("agent:" + principal.agent().id());
        AgentLifecycleService.RotateResponse rotated = lifecycle.rotateCertificate(principal, EstRequests.csrPem(body),
                Protocol.EST, ctx);
        return base64(CERTS_ONLY, CertsOnly.encode(List.of(Pem.certificate(rotated.certificate()))))
                .header(AGENT_ID_HEADER, rotated.agentId());
    }

    // ------------------------------------------------------------------ unlabelled: the default tenant, if any

    @Get(value = "/cacerts", produces = {PKCS7, TEXT})
    public HttpResponse<String> defaultCacerts() {
        return defaultTenant() == null ? noDefault() : cacerts(defaultTenant());
    }

    @Get(value = "/csrattrs", produces = {CSRATTRS_TYPE, TEXT})
    public HttpResponse<String> defaultCsrattrs() {
        return defaultTenant() == null ? noDefault() : csrattrs(defaultTenant());
    }

    @Post(value = "/simpleenroll", consumes = PKCS10, produces = {PKCS7, TEXT})
    public HttpResponse<String> defaultSimpleenroll(HttpRequest<?> request, @Nullable @Body String body) {
        return defaultTenant() == null ? noDefault() : simpleenroll(request, defaultTenant(), body);
    }

    @Post(value = "/simplereenroll", consumes = PKCS10, produces = {PKCS7, TEXT})
    public HttpResponse<String> defaultSimplereenroll(HttpRequest<?> request, @Nullable @Body String body) {
        return defaultTenant() == null ? noDefault() : simplereenroll(request, defaultTenant(), body);
    }

    // ------------------------------------------------------------------ errors: EstErrors, for this controller only

    @Error(exception = ProblemException.class)
    public HttpResponse<String> refused(ProblemException e) {
        return EstErrors.response(e);
    }

    @Error(exception = RuntimeException.class)
    public HttpResponse<String> failed(HttpRequest<?> request, RuntimeException e) {
        return EstErrors.unexpected(e, CorrelationId.of(request));
    }

    // ------------------------------------------------------------------ helpers

    @Nullable
    private String defaultTenant() {
        return properties.getDefaultTenant();
    }

    private static HttpResponse<String> noDefault() {
        return EstErrors.notFound("This broker serves EST only under a tenant label: /.well-known/est/<tenant>/...");
    }

    /** RFC 8951: base64 bodies, announced by {@code Content-Transfer-Encoding} (which some clients check). */
    private static MutableHttpResponse<String> base64(MediaType type, byte[] der) {
        return HttpResponse.<String>status(HttpStatus.OK).contentType(type)
                .header("Content-Transfer-Encoding", "base64").header("Cache-Control", "no-store")
                .body(Base64.getMimeEncoder().encodeToString(der) + "\r\n");
    }

    /** A label echoed in an error text: bounded, and only the characters a tenant id may have. */
    private static String printable(String label) {
        String s = label == null ? "" : label.replaceAll("[^a-z0-9-]", "?");
        return s.length() > 63 ? s.substring(0, 63) + "..." : s;
    }
}
