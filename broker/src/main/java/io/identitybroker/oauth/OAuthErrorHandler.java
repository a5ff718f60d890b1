package io.identitybroker.oauth;

import io.identitybroker.api.ErrorFormat;
import io.identitybroker.api.ProblemException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place OAuth errors are rendered: every error on {@code /oauth2/*} and on the
 * authorization server metadata is RFC 6749 §5.2 JSON ({@code error}, {@code error_description},
 * {@code Cache-Control: no-store}), never problem+json, because OAuth client libraries parse only
 * that shape. It renders the endpoints' own refusals ({@link OAuthException}) and, as the
 * {@link ErrorFormat} of these routes, every other failure: the framework's (unknown route, wrong
 * method, oversized body), Vault or the database unavailable (503 {@code temporarily_unavailable}
 * with {@code Retry-After}) and unexpected ones (500 {@code server_error}, nothing leaked).
 */
@Produces
@Singleton
public class OAuthErrorHandler implements ExceptionHandler<OAuthException, HttpResponse<?>>, ErrorFormat {
    static final String METADATA_PATH = "/.well-known/oauth-authorization-server";
    /** The form endpoints' advice for a body of another type (RFC 6749 §3.2, RFC 7662 §2.1). */
    static final String SEND_FORM = "Unsupported content type: send application/x-www-form-urlencoded in UTF-8.";
    /** The routes that take a form body; the others take none. */
    private static final List<String> FORM_PATHS = List.of("/oauth2/token", "/oauth2/introspect");

    @Override
    public HttpResponse<?> handle(HttpRequest request, OAuthException exception) {
        return render(exception.error());
    }

    @Override
    public boolean covers(HttpRequest<?> request) {
        String path = request.getPath();
        return path.equals("/oauth2") || path.startsWith("/oauth2/") || path.equals(METADATA_PATH);
    }

    @Override
    public MutableHttpResponse<?> render(HttpRequest<?> request, ProblemException problem) {
        return render(translate(request, problem));
    }

    /** True for the token and introspection endpoints (with or without a trailing slash). */
    static boolean isFormRoute(HttpRequest<?> request) {
        String path = request.getPath();
        return FORM_PATHS.contains(path.endsWith("/") ? path.substring(0, path.length() - 1) : path);
    }

    /** The RFC 6749 JSON answer for {@code error}. */
    static MutableHttpResponse<Map<String, Object>> render(OAuthError error) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error.code().code());
        if (error.description() != null) {
            body.put("error_description", error.description());
        }
        MutableHttpResponse<Map<String, Object>> response = noStore(HttpResponse.<Map<String, Object>>status(error.status())
                .body(body).contentType(MediaType.APPLICATION_JSON_TYPE));
        error.headers().forEach(response::header);
        return response;
    }

    /** Token and introspection answers, and every error, must never be cached (RFC 6749 §5.1). */
    static <T> MutableHttpResponse<T> noStore(MutableHttpResponse<T> response) {
        return response.header("Cache-Control", "no-store").header("Pragma", "no-cache");
    }

    /**
     * A failure classified for problem+json, in OAuth terms: its status, its safe detail and its
     * headers ({@code Retry-After}, {@code Allow}, {@code WWW-Authenticate}) are kept; the code is
     * the RFC 6749 one for the status.
     */
    static OAuthError translate(HttpRequest<?> request, ProblemException problem) {
        HttpStatus status = problem.status();
        String detail = problem.detail();
        OAuthErrorCode code = switch (status) {
            case SERVICE_UNAVAILABLE -> OAuthErrorCode.TEMPORARILY_UNAVAILABLE;
            case UNAUTHORIZED -> OAuthErrorCode.INVALID_CLIENT;
            case FORBIDDEN -> OAuthErrorCode.UNAUTHORIZED_CLIENT;
            default -> status.getCode() >= 500 ? OAuthErrorCode.SERVER_ERROR : OAuthErrorCode.INVALID_REQUEST;
        };
        if (code == OAuthErrorCode.SERVER_ERROR) {
            detail = OAuthErrorCode.SERVER_ERROR.defaultDescription();
        } else if (status == HttpStatus.UNSUPPORTED_MEDIA_TYPE) {
            detail = isFormRoute(request) ? SEND_FORM
                    : "This endpoint takes no request body.";
        } else if (status == HttpStatus.NOT_FOUND) {
            detail = "No such OAuth endpoint.";
        } else if (status == HttpStatus.NOT_ACCEPTABLE) {
            detail = "This endpoint answers in application/json.";
        } else if (status == HttpStatus.METHOD_NOT_ALLOWED) {
            detail = "Method not allowed on this endpoint.";
        }
        return new OAuthError(code, detail, status, problem.headers());
    }
}
