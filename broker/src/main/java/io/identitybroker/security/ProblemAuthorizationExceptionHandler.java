package io.identitybroker.security;

import io.identitybroker.api.ErrorResponses;
import io.identitybroker.api.ProblemException;
import io.identitybroker.api.ProblemType;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.security.authentication.AuthorizationException;
import io.micronaut.security.authentication.DefaultAuthorizationExceptionHandler;
import jakarta.inject.Singleton;

/**
 * 401, 403, or 404 for a tenant the caller cannot see or a resource named by a malformed id, as problem+json
 * (or the route's protocol format, {@link ErrorResponses}).
 */
@Singleton
@Replaces(DefaultAuthorizationExceptionHandler.class)
public class ProblemAuthorizationExceptionHandler
        implements ExceptionHandler<AuthorizationException, MutableHttpResponse<?>> {
    /** The details the routes give for an unknown id, so that a malformed one reads the same. */
    private static final java.util.Map<ProblemType, String> NOT_FOUND_DETAILS = java.util.Map.of(
            ProblemType.AGENT_NOT_FOUND, "No such agent.", ProblemType.ENROLLMENT_TOKEN_NOT_FOUND, "No such enrollment token.",
            ProblemType.TRUST_DOMAIN_NOT_FOUND, "No such trust domain.");

    private final ErrorResponses errors;

    public ProblemAuthorizationExceptionHandler(ErrorResponses errors) {
        this.errors = errors;
    }

    @Override
    public MutableHttpResponse<?> handle(HttpRequest request, AuthorizationException exception) {
        ProblemException problem;
        ProblemType notFound = request.getAttribute(VaultCapabilityRule.NOT_FOUND_ATTRIBUTE, ProblemType.class).orElse(null);
        if (exception.isForbidden() && notFound != null) {
            problem = new ProblemException(notFound, HttpStatus.NOT_FOUND, "Not found",
                    NOT_FOUND_DETAILS.getOrDefault(notFound, "No such resource."), java.util.Map.of(), null);
        } else if (exception.isForbidden()) {
            boolean hidden = request.getAttribute(VaultCapabilityRule.HIDDEN_ATTRIBUTE, Boolean.class).orElse(false);
            problem = hidden
                    ? new ProblemException(ProblemType.TENANT_NOT_FOUND, "No such tenant.")
                    : new ProblemException(ProblemType.FORBIDDEN, "Your Vault policies do not grant this action.");
        } else {
            problem = new ProblemException(ProblemType.UNAUTHORIZED,
                    "Send a valid Vault token as 'Authorization: Bearer <token>' or 'X-Vault-Token'.");
        }
        MutableHttpResponse<?> response = errors.render(request, problem);
        if (!exception.isForbidden()) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"identity-broker\"");
        }
        return response;
    }
}
