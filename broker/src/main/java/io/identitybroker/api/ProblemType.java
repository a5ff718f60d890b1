package io.identitybroker.api;

import io.micronaut.http.HttpStatus;

/**
 * Every problem type the broker answers on {@code /api} (and, by code, on EST's {@code text/plain}
 * errors), in one table after step-ca's {@code acme/errors.go}: the stable code (the suffix of
 * {@code https://identity-broker.io/errors/<code>}), the status, the title and the detail used when
 * the throw site has none of its own. Throw sites name a constant, never a code string. A code may
 * appear twice where two routes answer it with different statuses (e.g. {@code trust_domain_not_found}:
 * 404 on a route that names the domain, 422 in a registration that refers to it). docs/api.md lists
 * exactly these codes ({@code ProblemTypesDocumentedTest}).
 */
public enum ProblemType {
    // Request shape, shared by every route (mostly raised by the framework: ProblemJsonErrorBodyProvider).
    INVALID_REQUEST("invalid_request", HttpStatus.BAD_REQUEST, "Invalid request", "The request is malformed or misses a required part."),
    MALFORMED_JSON("malformed_json", HttpStatus.BAD_REQUEST, "Invalid request", "The request body is not valid JSON for this endpoint."),
    JSON_TOO_COMPLEX("json_too_complex", HttpStatus.BAD_REQUEST, "Invalid request", "The JSON body exceeds the nesting or size limits."),
    REQUEST_TOO_LARGE("request_too_large", HttpStatus.REQUEST_ENTITY_TOO_LARGE, "Request Entity Too Large",
            "The request body is larger than allowed."),
    UNSUPPORTED_MEDIA_TYPE("unsupported_media_type", HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type",
            "Send the body as application/json in UTF-8."),
    NOT_ACCEPTABLE("not_acceptable", HttpStatus.NOT_ACCEPTABLE, "Not Acceptable", "This resource answers in JSON."),
    NOT_FOUND("not_found", HttpStatus.NOT_FOUND, "Not Found", "No such resource."),
    METHOD_NOT_ALLOWED("method_not_allowed", HttpStatus.METHOD_NOT_ALLOWED, "Method Not Allowed", "Method not allowed on this resource."),
    UNAUTHORIZED("unauthorized", HttpStatus.UNAUTHORIZED, "Unauthorized",
            "Send a valid Vault token as 'Authorization: Bearer <token>' or 'X-Vault-Token'."),
    FORBIDDEN("forbidden", HttpStatus.FORBIDDEN, "Forbidden", "Your Vault policies do not grant this action."),
    INVALID_PAGING("invalid_paging", HttpStatus.BAD_REQUEST, "Invalid request", "The paging parameters are out of range."),
    INVALID_PAGE_TOKEN("invalid_page_token", HttpStatus.BAD_REQUEST, "Invalid request",
            "page_token is not a token a previous page returned; omit it to start from the first page."),

    // Outages and failures.
    VAULT_UNAVAILABLE("vault_unavailable", HttpStatus.SERVICE_UNAVAILABLE, "Vault unavailable", "Vault is unavailable; try again later."),
    DATABASE_UNAVAILABLE("database_unavailable", HttpStatus.SERVICE_UNAVAILABLE, "Database unavailable",
            "The broker's database is unavailable; nothing was changed. Try again later."),
    INTERNAL_ERROR("internal_error", HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
            "The request failed; the correlation id identifies it in the logs."),
    ISSUED_CERTIFICATE_REJECTED("issued_certificate_rejected", HttpStatus.INTERNAL_SERVER_ERROR, "Issuance failed",
            "Vault signed a certificate outside the X.509-SVID profile; it was revoked."),
    BINDING_NOT_COMMITTED("binding_not_committed", HttpStatus.INTERNAL_SERVER_ERROR, "Issuance failed",
            "The certificate could not be recorded; it was revoked."),

    // Tenants.
    INVALID_TENANT("invalid_tenant", HttpStatus.BAD_REQUEST, "Invalid request", "The tenant is invalid."),
    TENANT_NOT_FOUND("tenant_not_found", HttpStatus.NOT_FOUND, "Not found", "No such tenant."),
    TENANT_EXISTS("tenant_exists", HttpStatus.CONFLICT, "Conflict", "A tenant with this id exists."),
    TENANT_DECLARED_IN_VAULT("tenant_declared_in_vault", HttpStatus.CONFLICT, "Conflict", "The tenant is declared in Vault KV."),
    TENANT_SUSPENDED("tenant_suspended", HttpStatus.CONFLICT, "Conflict", "The tenant is suspended."),
    PKI_ROLE_NOT_FOUND("pki_role_not_found", HttpStatus.UNPROCESSABLE_ENTITY, "Unprocessable",
            "Vault has no PKI role there that the broker may use."),
    PKI_ROLE_UNSAFE("pki_role_unsafe", HttpStatus.UNPROCESSABLE_ENTITY, "Unprocessable",
            "The PKI role must set use_csr_sans=false and use_csr_common_name=false."),
    PKI_MOUNT_IN_USE("pki_mount_in_use", HttpStatus.CONFLICT, "Conflict", "This PKI mount already serves another tenant."),
    PKI_ISSUER_IN_USE("pki_issuer_in_use", HttpStatus.CONFLICT, "Conflict", "This PKI mount's issuing CA already serves another tenant."),

    // Enrollment tokens and the exchange.
    INVALID_ENROLLMENT_TOKEN_REQUEST("invalid_enrollment_token_request", HttpStatus.BAD_REQUEST, "Invalid request",
            "The enrollment token request is invalid."),
    ENROLLMENT_TOKEN_NOT_FOUND("enrollment_token_not_found", HttpStatus.NOT_FOUND, "Not found", "No such enrollment token."),
    INVALID_ENROLLMENT_TOKEN("invalid_enrollment_token", HttpStatus.UNAUTHORIZED, "Unauthorized",
            "The enrollment token is unknown, expired, revoked or spent."),
    CSR_MALFORMED("csr_malformed", HttpStatus.BAD_REQUEST, "CSR rejected", "The CSR is not a valid DER PKCS#10 request."),
    CSR_TOO_LARGE("csr_too_large", HttpStatus.BAD_REQUEST, "CSR rejected", "The CSR is too large."),
    CSR_BAD_SIGNATURE("csr_bad_signature", HttpStatus.BAD_REQUEST, "CSR rejected", "The CSR's signature does not verify with its own key."),
    CSR_WEAK_SIGNATURE("csr_weak_signature", HttpStatus.BAD_REQUEST, "CSR rejected", "The CSR's signature algorithm is too weak."),
    CSR_WEAK_KEY("csr_weak_key", HttpStatus.BAD_REQUEST, "CSR rejected", "The CSR's key is too weak."),
    CSR_UNSUPPORTED_KEY("csr_unsupported_key", HttpStatus.BAD_REQUEST, "CSR rejected", "The CSR's key type is not accepted."),
    CSR_EXPLICIT_CURVE("csr_explicit_curve", HttpStatus.BAD_REQUEST, "CSR rejected", "EC keys must name their curve."),
    CSR_FOREIGN_SAN("csr_foreign_san", HttpStatus.BAD_REQUEST, "CSR rejected", "The CSR asks for a name the broker does not assign."),
    CSR_CA_REQUESTED("csr_ca_requested", HttpStatus.BAD_REQUEST, "CSR rejected", "Agent certificates cannot be CAs."),
    CSR_BAD_SUBJECT("csr_bad_subject", HttpStatus.BAD_REQUEST, "CSR rejected",
            "The CSR subject contains control characters or overlong values."),

    // Agents: authentication on the agent routes (AgentAuthenticator), queries, rotation, JWT-SVIDs.
    CLIENT_CERTIFICATE_REQUIRED("client_certificate_required", HttpStatus.UNAUTHORIZED, "Unauthorized",
            "Agent routes require mutual TLS with the agent's certificate."),
    INVALID_AGENT_CREDENTIALS("invalid_agent_credentials", HttpStatus.UNAUTHORIZED, "Unauthorized", "The agent credentials are invalid."),
    CLIENT_CERTIFICATE_EXPIRED("client_certificate_expired", HttpStatus.UNAUTHORIZED, "Unauthorized", "The certificate expired."),
    CLIENT_CERTIFICATE_REVOKED("client_certificate_revoked", HttpStatus.UNAUTHORIZED, "Unauthorized", "The agent was revoked."),
    CLIENT_CERTIFICATE_HEADER_MALFORMED("client_certificate_header_malformed", HttpStatus.BAD_REQUEST, "Invalid request",
            "The proxy's client-certificate header cannot be read."),
    AGENT_TENANT_SUSPENDED("tenant_suspended", HttpStatus.FORBIDDEN, "Forbidden", "The agent's tenant is suspended."),
    CLIENT_CERTIFICATE_SAN_URI_MISMATCH("client_certificate_san_uri_mismatch", HttpStatus.FORBIDDEN, "Forbidden",
            "The certificate's URI SAN is not the client's registered one."),
    CLIENT_CERTIFICATE_NOT_BOUND("client_certificate_not_bound", HttpStatus.FORBIDDEN, "Forbidden",
            "The certificate is not bound to this agent."),
    CLIENT_CERTIFICATE_WRONG_TENANT("client_certificate_wrong_tenant", HttpStatus.FORBIDDEN, "Forbidden",
            "The certificate belongs to another tenant."),
    CLIENT_CERTIFICATE_CHAIN_TOO_LONG("client_certificate_chain_too_long", HttpStatus.FORBIDDEN, "Forbidden",
            "The certificate chain is too long."),
    CLIENT_CERTIFICATE_NOT_YET_VALID("client_certificate_not_yet_valid", HttpStatus.FORBIDDEN, "Forbidden",
            "The certificate is not yet valid."),
    CLIENT_CERTIFICATE_UNSUITABLE("client_certificate_unsuitable", HttpStatus.FORBIDDEN, "Forbidden",
            "The certificate is not a TLS client certificate."),
    CLIENT_CERTIFICATE_UNTRUSTED("client_certificate_untrusted", HttpStatus.FORBIDDEN, "Forbidden",
            "The certificate does not chain to a trusted CA."),
    CLIENT_CERTIFICATE_WRONG_ISSUER("client_certificate_wrong_issuer", HttpStatus.FORBIDDEN, "Forbidden",
            "The certificate was not issued by the tenant's CA."),
    EXTERNAL_SVID_NOT_ACCEPTED("external_svid_not_accepted", HttpStatus.FORBIDDEN, "Forbidden",
            "An external SVID is not accepted on this route."),
    CLIENT_CERTIFICATE_AGENT_MISMATCH("client_certificate_agent_mismatch", HttpStatus.FORBIDDEN, "Forbidden",
            "The certificate names another agent."),
    CLIENT_CERTIFICATE_WRONG_TRUST_DOMAIN("client_certificate_wrong_trust_domain", HttpStatus.FORBIDDEN, "Forbidden",
            "The certificate's SPIFFE ID is not in the tenant's trust domain."),
    CLIENT_CERTIFICATE_IDENTITY_INVALID("client_certificate_identity_invalid", HttpStatus.FORBIDDEN, "Forbidden",
            "The certificate's identity is invalid."),
    AGENT_NOT_FOUND("agent_not_found", HttpStatus.NOT_FOUND, "Not found", "No such agent."),
    INVALID_AGENT_QUERY("invalid_agent_query", HttpStatus.BAD_REQUEST, "Invalid request", "The agent query is invalid."),
    INVALID_CERTIFICATE_QUERY("invalid_certificate_query", HttpStatus.BAD_REQUEST, "Invalid request",
            "before (an RFC 3339 instant) is required."),
    ROTATION_CONFLICT("rotation_conflict", HttpStatus.CONFLICT, "Conflict", "The certificate changed since you authenticated."),
    SECRET_ROTATION_CONFLICT("secret_rotation_conflict", HttpStatus.CONFLICT, "Conflict",
            "The secret changed since you authenticated; it was not rotated."),
    INVALID_JWT_SVID_REQUEST("invalid_jwt_svid_request", HttpStatus.BAD_REQUEST, "Invalid request", "The JWT-SVID request is invalid."),

    // Federation.
    INVALID_TRUST_DOMAIN("invalid_trust_domain", HttpStatus.BAD_REQUEST, "Invalid request", "The trust domain is invalid."),
    TRUST_DOMAIN_NOT_FOUND("trust_domain_not_found", HttpStatus.NOT_FOUND, "Not found", "No such trust domain."),
    /** A registration names a trust domain that is not declared: the same code, 422. */
    TRUST_DOMAIN_UNDECLARED("trust_domain_not_found", HttpStatus.UNPROCESSABLE_ENTITY, "Unprocessable",
            "The SPIFFE ID's trust domain is not declared."),
    TRUST_DOMAIN_EXISTS("trust_domain_exists", HttpStatus.CONFLICT, "Conflict", "This trust domain is declared."),
    TRUST_DOMAIN_IN_USE("trust_domain_in_use", HttpStatus.CONFLICT, "Conflict", "External clients use this trust domain."),
    TRUST_DOMAIN_DECLARED_IN_VAULT("trust_domain_declared_in_vault", HttpStatus.CONFLICT, "Conflict",
            "The trust domain is declared in Vault KV."),
    INVALID_EXTERNAL_CLIENT("invalid_external_client", HttpStatus.BAD_REQUEST, "Invalid request", "The external client is invalid."),
    EXTERNAL_CLIENT_NOT_FOUND("external_client_not_found", HttpStatus.NOT_FOUND, "Not found", "No such external client."),
    EXTERNAL_CLIENT_EXISTS("external_client_exists", HttpStatus.CONFLICT, "Conflict", "An external client with this SPIFFE ID exists."),

    // EST only (text/plain there).
    EST_LABEL_UNKNOWN("est_label_unknown", HttpStatus.NOT_FOUND, "Not found", "No such EST label.");

    private final String code;
    private final HttpStatus status;
    private final String title;
    private final String defaultDetail;

    ProblemType(String code, HttpStatus status, String title, String defaultDetail) {
        this.code = code;
        this.status = status;
        this.title = title;
        this.defaultDetail = defaultDetail;
    }

    /** The stable code, the suffix of the problem's {@code type}. */
    public String code() {
        return code;
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String defaultDetail() {
        return defaultDetail;
    }
}
