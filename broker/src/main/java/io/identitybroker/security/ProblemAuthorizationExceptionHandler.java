package io.identitybroker.security;

import io.identitybroker.api.ProblemException;
import io.identitybroker.api.Problems;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.security.authentication.AuthorizationException;
import io.micronaut.security.authentication.DefaultAuthorizationExceptionHandler;
import jakarta.inject.Singleton;

/** 401, 403, or 404 for a tenant the caller cannot see or a resource named by a malformed id, as problem+json. */
@Singleton
@Replaces(DefaultAuthorizationExceptionHandler.class)
public class ProblemAuthorizationExceptionHandler
        implements ExceptionHandler<AuthorizationException, MutableHttpResponse<?>> {
    /** The details the routes give for an unknown id, so that a malformed one reads the same. */
    private static final java.util.Map<String, String> NOT_FOUND_DETAILS = java.util.Map.of(
            "agent_not_found", "No such agent.", "enrollment_token_not_found", "No such enrollment token.",
            "trust_domain_not_found", "No such trust domain.");

    @Override
    public MutableHttpResponse<?> handle(HttpRequest request, AuthorizationException exception) {
        ProblemException problem;
        String notFound = request.getAttribute(VaultCapabilityRule.NOT_FOUND_ATTRIBUTE, String.class).orElse(null);
        if (exception.isForbidden() && notFound != null) {
            problem = ProblemException.notFound(notFound, NOT_FOUND_DETAILS.getOrDefault(notFound, "No such resource."));
        } else if (exception.isForbidden()) {
            boolean hidden = request.getAttribute(VaultCapabilityRule.HIDDEN_ATTRIBUTE, Boolean.class).orElse(false);
            problem = hidden
                    ? new ProblemException(HttpStatus.NOT_FOUND, "tenant_not_found", "Not found", "No such tenant.")
                    : new ProblemException(HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
                    "Your Vault policies do not grant this action.");
        } else {
            problem = new ProblemException(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized",
                    "Send a valid Vault token as 'Authorization: Bearer <token>' or 'X-Vault-Token'.");
        }
        MutableHttpResponse<?> response = Problems.response(request, problem);
        if (!exception.isForbidden()) {
            response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"identity-broker\"");
        }
        return response;
    }
}
