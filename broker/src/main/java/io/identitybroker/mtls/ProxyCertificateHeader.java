package io.identitybroker.mtls;

import java.io.ByteArrayInputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a client certificate chain that a TLS-terminating proxy forwarded in a header:
 * Envoy's {@code X-Forwarded-Client-Cert} ({@code Cert=} / {@code Chain=}, URL-encoded PEM) or
 * RFC 9440's {@code Client-Cert} (a structured-field byte sequence of the DER) with its optional
 * {@code Client-Cert-Chain}. Only ever called for requests from a trusted proxy.
 */
final class ProxyCertificateHeader {
    static final String XFCC = "x-forwarded-client-cert";
    static final String CLIENT_CERT = "client-cert";
    static final String CLIENT_CERT_CHAIN = "client-cert-chain";
    static final int MAX_HEADER = 32 * 1024;
    private static final int MAX_CERTS = 10;

    private ProxyCertificateHeader() {
    }

    /**
     * @param header  the configured header's name
     * @param value   its value
     * @param chainValue for RFC 9440, the {@code Client-Cert-Chain} value (may be null)
     * @return the chain, leaf first; empty when the header names no certificate
     * @throws IllegalArgumentException when the value cannot be read
     */
    static List<X509Certificate> parse(String header, String value, String chainValue) {
        if (value.length() > MAX_HEADER || (chainValue != null && chainValue.length() > MAX_HEADER)) {
            throw new IllegalArgumentException("header too large");
        }
        return header.toLowerCase(Locale.ROOT).equals(XFCC) ? xfcc(value) : rfc9440(value, chainValue);
    }

    /** The last element is the one our (trusted) proxy appended: the client that connected to it. */
    static List<X509Certificate> xfcc(String value) {
        List<String> elements = split(value, ',');
        if (elements.isEmpty()) {
            return List.of();
        }
        Map<String, String> pairs = new LinkedHashMap<>();
        for (String pair : split(elements.get(elements.size() - 1), ';')) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("malformed XFCC pair");
            }
            pairs.put(pair.substring(0, eq).strip().toLowerCase(Locale.ROOT), unquote(pair.substring(eq + 1).strip()));
        }
        String chain = pairs.get("chain");
        String cert = pairs.get("cert");
        if (chain != null && !chain.isEmpty()) {
            List<X509Certificate> certs = pem(percentDecode(chain));
            if (cert != null && !cert.isEmpty()) {
                X509Certificate leaf = pem(percentDecode(cert)).get(0);
                if (!certs.get(0).equals(leaf)) {
                    throw new IllegalArgumentException("XFCC Cert is not the first certificate of Chain");
                }
            }
            return certs;
        }
        if (cert != null && !cert.isEmpty()) {
            return pem(percentDecode(cert));
        }
        return List.of();
    }

    static List<X509Certificate> rfc9440(String value, String chainValue) {
        List<X509Certificate> out = new ArrayList<>();
        out.add(der(byteSequence(value.strip())));
        if (chainValue != null && !chainValue.isBlank()) {
            for (String item : split(chainValue, ',')) {
                out.add(der(byteSequence(item.strip())));
            }
        }
        if (out.size() > MAX_CERTS) {
            throw new IllegalArgumentException("too many certificates");
        }
        return out;
    }

    /** RFC 8941 byte sequence: {@code :base64:} (parameters after ';' are ignored). */
    private static byte[] byteSequence(String item) {
        int semi = item.indexOf(';');
        String bare = semi < 0 ? item : item.substring(0, semi).strip();
        if (bare.length() < 2 || bare.charAt(0) != ':' || bare.charAt(bare.length() - 1) != ':') {
            throw new IllegalArgumentException("not a structured-field byte sequence");
        }
        return Base64.getDecoder().decode(bare.substring(1, bare.length() - 1));
    }

    /** Splits on {@code sep} outside double quotes (backslash escapes inside quotes). */
    private static List<String> split(String s, char sep) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted && c == '\\' && i + 1 < s.length()) {
                current.append(c).append(s.charAt(++i));
            } else if (c == '"') {
                quoted = !quoted;
                current.append(c);
            } else if (c == sep && !quoted) {
                if (!current.toString().isBlank()) {
                    parts.add(current.toString().strip());
                }
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException("unbalanced quotes");
        }
        if (!current.toString().isBlank()) {
            parts.add(current.toString().strip());
        }
        return parts;
    }

    /** RFC 3986 percent-decoding; unlike form decoding, '+' stays '+' (it is a base64 character). */
    static String percentDecode(String v) {
        return URLDecoder.decode(v.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            return v.substring(1, v.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return v;
    }

    private static List<X509Certificate> pem(String pem) {
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty() || out.size() > MAX_CERTS) {
                throw new IllegalArgumentException("no or too many certificates");
            }
            return out;
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not a PEM certificate", e);
        }
    }

    private static X509Certificate der(byte[] der) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not a DER certificate", e);
        }
    }
}
