package io.identitybroker.pki;

import com.fasterxml.jackson.databind.JsonNode;
import io.identitybroker.vault.BrokerVault;
import io.identitybroker.vault.VaultJson;
import io.identitybroker.vault.VaultRequestException;
import jakarta.inject.Singleton;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@link PkiBackend} on Vault's PKI secrets engine, with the broker's own token. */
@Singleton
public class VaultPkiBackend implements PkiBackend {
    private final BrokerVault vault;

    public VaultPkiBackend(BrokerVault vault) {
        this.vault = vault;
    }

    @Override
    public SignedCertificate sign(String mount, String role, String csrPem, String uriSan) {
        JsonNode data = vault.write("certificate signing", false, mount + "/sign/" + role,
                Map.of("csr", csrPem, "uri_sans", uriSan, "format", "pem", "exclude_cn_from_sans", true));
        String leafPem = data.path("certificate").asText();
        X509Certificate leaf = Pem.certificate(leafPem);
        List<String> chain = new ArrayList<>();
        data.path("ca_chain").forEach(c -> chain.add(c.asText()));
        if (chain.isEmpty() && data.hasNonNull("issuing_ca")) {
            chain.add(data.path("issuing_ca").asText());
        }
        return new SignedCertificate(leaf, leafPem.endsWith("\n") ? leafPem : leafPem + "\n", List.copyOf(chain),
                data.path("serial_number").asText(), Thumbprints.x5tS256(leaf));
    }

    @Override
    public void revoke(String mount, String serialNumber) {
        vault.call("certificate revocation", true,
                v -> v.logical().write(mount + "/revoke", Map.of("serial_number", serialNumber)));
    }

    @Override
    public List<String> storedSerials(String mount) {
        try {
            JsonNode keys = vault.call("certificate list", true, v -> VaultJson.data(v.logical().list(mount + "/certs")))
                    .path("keys");
            // Vault lists serials with dashes; everywhere else (sign, revoke, bindings) they have colons.
            return strings(keys).stream().map(k -> k.replace('-', ':')).toList();
        } catch (VaultRequestException e) {
            if (e.status() == 404) {
                return List.of(); // nothing stored yet
            }
            throw e;
        }
    }

    @Override
    public Optional<StoredCertificate> storedCertificate(String mount, String serialNumber) {
        try {
            JsonNode data = vault.call("certificate read", true,
                    v -> VaultJson.data(v.logical().read(mount + "/cert/" + serialNumber)));
            String pem = data.path("certificate").asText("");
            if (pem.isBlank()) {
                return Optional.empty();
            }
            return Optional.of(new StoredCertificate(serialNumber, Pem.certificate(pem),
                    data.path("revocation_time").asLong(0) > 0));
        } catch (VaultRequestException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public Optional<RoleSettings> role(String mount, String role) {
        try {
            JsonNode data = vault.call("role lookup", true, v -> VaultJson.data(v.logical().read(mount + "/roles/" + role)));
            List<String> uris = new ArrayList<>();
            data.path("allowed_uri_sans").forEach(u -> uris.add(u.asText()));
            return Optional.of(new RoleSettings(data.path("use_csr_sans").asBoolean(true),
                    data.path("use_csr_common_name").asBoolean(true), List.copyOf(uris), data.path("no_store").asBoolean(false)));
        } catch (VaultRequestException e) {
            // 404: no such role; 403 on a mount outside the broker's policy is, for the broker, the same.
            if (e.status() == 404 || e.status() == 403 || e.status() == 400) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public PkiUrls urls(String mount) {
        JsonNode data = vault.call("PKI URLs read", true, v -> VaultJson.data(v.logical().read(mount + "/config/urls")));
        return new PkiUrls(strings(data.path("issuing_certificates")), strings(data.path("crl_distribution_points")),
                strings(data.path("ocsp_servers")));
    }

    /** Vault answers these as arrays (older versions: comma-separated strings). */
    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> {
                if (!n.asText().isBlank()) {
                    out.add(n.asText());
                }
            });
        } else if (node.isTextual()) {
            for (String s : node.asText().split(",")) {
                if (!s.isBlank()) {
                    out.add(s.strip());
                }
            }
        }
        return List.copyOf(out);
    }

    @Override
    public List<X509Certificate> caChain(String mount) {
        JsonNode data = vault.call("CA chain read", true, v -> VaultJson.data(v.logical().read(mount + "/cert/ca_chain")));
        String pem = data.path("ca_chain").asText(data.path("certificate").asText(""));
        return Pem.certificates(pem);
    }
}
