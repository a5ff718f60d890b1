package io.identitybroker.mtls;

import io.identitybroker.api.ProblemException;
import io.identitybroker.api.ProblemType;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a request's client certificate chain comes from: the TLS session of the connection, or,
 * for requests from a configured trusted proxy, the proxy's certificate header.
 * <p>
 * The header is honoured only from {@code broker.agent.mtls.trusted-proxies}; from any other
 * address it is ignored and the attempt logged (address only, never the header's content).
 * A request from a trusted proxy is judged by the header alone: the proxy's own TLS client
 * certificate, if any, says nothing about the agent behind it.
 */
@Singleton
public class ClientCertificates {
    private static final Logger LOG = LoggerFactory.getLogger(ClientCertificates.class);

    private final MtlsConfiguration properties;
    private final List<CidrRange> trustedProxies;

    public ClientCertificates(MtlsConfiguration properties) {
        this.properties = properties;
        List<CidrRange> ranges = new ArrayList<>();
        for (String cidr : properties.getTrustedProxies()) {
            if (!cidr.isBlank()) {
                ranges.add(CidrRange.parse(cidr));
            }
        }
        this.trustedProxies = List.copyOf(ranges);
    }

    /** The presented chain, leaf first; empty when the client presented none. */
    public List<X509Certificate> presented(HttpRequest<?> request) {
        if (properties.hasProxyHeader()) {
            String header = properties.getProxyHeader();
            String value = request.getHeaders().get(header);
            boolean fromProxy = fromTrustedProxy(request);
            if (fromProxy) {
                if (value == null || value.isBlank()) {
                    return List.of();
                }
                try {
                    return ProxyCertificateHeader.parse(header, value,
                            request.getHeaders().get(ProxyCertificateHeader.CLIENT_CERT_CHAIN));
                } catch (IllegalArgumentException e) {
                    throw new ProblemException(ProblemType.CLIENT_CERTIFICATE_HEADER_MALFORMED,
                            "The proxy's client-certificate header cannot be read.");
                }
            }
            if (value != null) {
                LOG.warn("Ignored the {} header from {}, which is not a trusted proxy", header, remoteAddress(request));
            }
        }
        return fromTls(request);
    }

    private static List<X509Certificate> fromTls(HttpRequest<?> request) {
        Optional<SSLSession> session = request.getSslSession();
        if (session.isEmpty()) {
            return List.of();
        }
        try {
            Certificate[] peer = session.get().getPeerCertificates();
            List<X509Certificate> chain = new ArrayList<>();
            for (Certificate c : peer) {
                if (c instanceof X509Certificate x) {
                    chain.add(x);
                }
            }
            return List.copyOf(chain);
        } catch (SSLPeerUnverifiedException e) {
            return List.of();
        }
    }

    private boolean fromTrustedProxy(HttpRequest<?> request) {
        InetAddress address = remoteAddress(request);
        return address != null && trustedProxies.stream().anyMatch(r -> r.contains(address));
    }

    private static InetAddress remoteAddress(HttpRequest<?> request) {
        InetSocketAddress remote = request.getRemoteAddress();
        return remote == null ? null : remote.getAddress();
    }
}
