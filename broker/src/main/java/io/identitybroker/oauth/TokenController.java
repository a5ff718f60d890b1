package io.identitybroker.oauth;

import io.identitybroker.api.RequestContext;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /oauth2/token}: the {@code client_credentials} grant with RFC 8705 §2.1
 * {@code tls_client_auth}. The client is the agent named by {@code client_id}; it authenticates
 * with its certificate alone, through the agent-route mTLS checks, on every request. External
 * clients (foreign SPIFFE IDs) use {@code spiffe_x509} or {@code spiffe_jwt} instead
 * ({@link SpiffeClientMethods}); their responses say whether the token is certificate-bound
 * ({@code certificate_bound}). Client authentication is {@link ClientAuthentication}'s (which
 * audits every failure); every refusal is an {@link OAuthException}, rendered by
 * {@link OAuthErrorHandler}; issued tokens are counted in metrics, never logged or audited.
 */
@Controller("/oauth2")
@Secured(SecurityRule.IS_ANONYMOUS)
public class TokenController {
    private final ClientAuthentication authentication;
    private final ClientCredentialsGrant grant;

    public TokenController(ClientAuthentication authentication, ClientCredentialsGrant grant) {
        this.authentication = authentication;
        this.grant = grant;
    }

    @Post(value = "/token", consumes = MediaType.APPLICATION_FORM_URLENCODED, produces = MediaType.APPLICATION_JSON)
    public MutableHttpResponse<?> token(HttpRequest<?> request, @Nullable @Body String body) {
        RequestContext ctx = RequestContext.of(request);
        FormParameters form = FormParameters.parseOrRefuse(body);
        String clientId = ClientCredentialsGrant.requestedClientId(form);
        ClientAuthentication.TokenClient client = authentication.tokenClient(request, form, clientId, ctx);
        // Vault unable to sign: 503 temporarily_unavailable with Retry-After (OAuthErrorHandler).
        AccessTokenIssuer.Issued issued = grant.grant(form, client.client());
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("access_token", issued.accessToken());
        response.put("token_type", "Bearer");
        response.put("expires_in", issued.expiresIn());
        response.put("scope", issued.scope());
        client.certificateBound().ifPresent(bound -> response.put("certificate_bound", bound));
        return OAuthErrorHandler.noStore(HttpResponse.ok(response));
    }
}
