package loadgen;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;


/** Status and body of an answer read by {@link RawHttp}; what the scenarios' checks look at. */
record RawResponse(int statusCode, String body) implements HttpResponse<String> {
    @Override
    public HttpRequest request() {
        return null;
    }

    @Override
    public Optional<HttpResponse<String>> previousResponse() {
        return Optional.empty();
    }

    @Override
    public java.net.http.HttpHeaders headers() {
        return java.net.http.HttpHeaders.of(Map.of(), (a, b) -> true);
    }

    @Override
    public Optional<javax.net.ssl.SSLSession> sslSession() {
        return Optional.empty();
    }

    @Override
    public URI uri() {
        return null;
    }

    @Override
    public HttpClient.Version version() {
        return HttpClient.Version.HTTP_1_1;
    }
}
