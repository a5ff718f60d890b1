package io.identitybroker.oauth;

import io.identitybroker.api.RequestContext;
import io.identitybroker.audit.AuditLog;
import io.identitybroker.audit.AuditRecord;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audits failed client authentication at the OAuth endpoints ({@code oauth.client_authentication.failed}):
 * the endpoint, a reason code and, when known, the client id and tenant; never a token or secret.
 * Successful issuance is counted in metrics instead.
 */
@Singleton
public class ClientAuthenticationFailures {
    public static final String EVENT = "oauth.client_authentication.failed";
    private static final Logger LOG = LoggerFactory.getLogger(ClientAuthenticationFailures.class);

    private final AuditLog audit;

    public ClientAuthenticationFailures(AuditLog audit) {
        this.audit = audit;
    }

    /**
     * Records one failure in its own transaction and returns the refusal to throw: every client
     * authentication failure at the OAuth endpoints ends here.
     *
     * @param tenant   the tenant when the client is known, else null (the system chain)
     * @param clientId the presented client id, only when it names a known client (else null, so
     *                 arbitrary input does not end up in the audit trail)
     * @param x5tS256  the thumbprint of the certificate the caller presented (public, identifies the certificate), or null
     */
    public OAuthException refuse(RequestContext ctx, String endpoint, String reason, String tenant, String clientId,
                                 String x5tS256, OAuthError error) {
        LOG.info("Client authentication failed at {}: {}", endpoint, reason);
        audit.appendAlone(AuditRecord.failure(EVENT, tenant, clientId, ctx, reason).with("endpoint", endpoint)
                .with("x5t#S256", x5tS256));
        return new OAuthException(error);
    }
}
