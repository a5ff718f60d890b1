package io.identitybroker.oauth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.identitybroker.api.ProblemException;
import io.identitybroker.vault.BrokerVault;
import io.identitybroker.vault.VaultConfiguration;
import io.identitybroker.vault.VaultUnavailableException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link TokenSigner} on Vault transit: {@code <mount>/sign/<key>} with {@code hash_algorithm}
 * sha2-256 and {@code marshaling_algorithm} jws, so Vault returns the raw R||S signature JWS
 * wants (after its {@code vault:vN:} prefix). Concurrent requests share one call through
 * {@code batch_input} ({@link CoalescingBatcher}).
 *
 * <p>The header names the key version before Vault signs, so no version is passed to Vault and
 * the version Vault reports is compared with the header: if the key was rotated since the ring
 * last read it, the signature is discarded, the ring re-read, and the token signed again under
 * the new {@code kid}. So new tokens carry the new key right after a rotation, and never a
 * {@code kid} the JWKS does not list. Signing is idempotent, so Vault failures are retried once.
 */
@Singleton
public class VaultTransitTokenSigner implements TokenSigner {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    /** One transit signature: {@code error} is set instead when Vault refused this item. */
    record Signed(String signature, int keyVersion, String error) {
    }

    private final BrokerVault vault;
    private final TransitKeyRing ring;
    private final TransitKeySettings settings;
    private final VaultConfiguration vaultProperties;
    private final CoalescingBatcher<String, Signed> batcher;
    private final Counter calls;
    private final Counter signatures;
    private final DistributionSummary batchSizes;

    /** The access-token signer ({@code broker.oauth.*}), the bean behind {@link TokenSigner}. */
    @Inject
    public VaultTransitTokenSigner(BrokerVault vault, TransitKeyRing ring, OAuthConfiguration properties,
                                   VaultConfiguration vaultProperties, MeterRegistry metrics) {
        this(vault, ring, properties.accessTokenKey(), vaultProperties, metrics);
    }

    /** A signer for another transit key, with that key's own ring; its owner must {@link #close()} it. */
    public VaultTransitTokenSigner(BrokerVault vault, TransitKeyRing ring, TransitKeySettings settings,
                                   VaultConfiguration vaultProperties, MeterRegistry metrics) {
        this.vault = vault;
        this.ring = ring;
        this.settings = settings;
        this.vaultProperties = vaultProperties;
        String prefix = settings.metricPrefix();
        this.calls = Counter.builder(prefix + ".sign.calls").description("transit/sign requests").register(metrics);
        this.signatures = Counter.builder(prefix + ".signatures").description("signatures made by transit").register(metrics);
        this.batchSizes = DistributionSummary.builder(prefix + ".sign.batch.size")
                .description("inputs per transit sign call").serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128).register(metrics);
        this.batcher = new CoalescingBatcher<>("transit-sign-" + settings.key(), this::signBatch, settings.signBatchMaxSize(),
                settings.signBatchMaxWait(), settings.signMaxConcurrentCalls(), 10_000);
    }

    @Override
    public String sign(String typ, byte[] claimsJson) {
        String payload = B64URL.encodeToString(claimsJson);
        TransitKeyRing.KeySet keys = ring.keySet();
        for (int attempt = 0; attempt < 2; attempt++) {
            int version = keys.latestVersion();
            String input = header(typ, ring.kid(version)) + "." + payload;
            Signed signed = await(batcher.submit(input));
            if (signed.error() != null) {
                throw new IllegalStateException("transit refused to sign: " + signed.error());
            }
            if (signed.keyVersion() == version) {
                return input + "." + signed.signature();
            }
            // Rotated in Vault since the ring's last read: learn the new version, then sign under its kid.
            keys = ring.refresh();
        }
        throw new VaultUnavailableException("The signing key changed twice while signing; try again.",
                vaultProperties.getRetryAfter(), null);
    }

    private List<Signed> signBatch(List<String> inputs) {
        calls.increment();
        batchSizes.record(inputs.size());
        String path = settings.mount() + "/sign/" + settings.key();
        Map<String, Object> body = new HashMap<>();
        body.put("hash_algorithm", "sha2-256");
        body.put("marshaling_algorithm", "jws");
        if (inputs.size() == 1) {
            body.put("input", base64(inputs.get(0)));
        } else {
            body.put("batch_input", inputs.stream().map(i -> Map.of("input", base64(i))).toList());
        }
        JsonNode data = vault.write(settings.purpose(), true, path, body);
        List<Signed> out = new ArrayList<>(inputs.size());
        if (inputs.size() == 1) {
            out.add(signed(data));
        } else {
            data.path("batch_results").forEach(r -> out.add(signed(r)));
        }
        signatures.increment(out.stream().filter(s -> s.error() == null).count());
        return out;
    }

    private static Signed signed(JsonNode item) {
        String error = item.path("error").asText("");
        String signature = item.path("signature").asText("");
        if (!error.isEmpty() || !signature.startsWith("vault:v")) {
            return new Signed(null, 0, error.isEmpty() ? "no signature" : error);
        }
        // "vault:v<N>:<base64url R||S>"
        int second = signature.indexOf(':', "vault:v".length());
        if (second < 0) {
            return new Signed(null, 0, "unexpected signature format");
        }
        int version = Integer.parseInt(signature.substring("vault:v".length(), second));
        return new Signed(signature.substring(second + 1), version, null);
    }

    private Signed await(java.util.concurrent.CompletableFuture<Signed> future) {
        try {
            // Bounded by the Vault client's own timeouts; this only guards against a lost completion.
            return future.get(vaultProperties.getReadTimeout().toMillis() * 3 + 5_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof ProblemException p) {
                throw p;
            }
            if (cause instanceof CoalescingBatcher.Overloaded) {
                throw new VaultUnavailableException("Too many tokens are being signed; try again.", vaultProperties.getRetryAfter(), cause);
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(cause);
        } catch (TimeoutException e) {
            throw new VaultUnavailableException("Vault did not sign in time; try again.", vaultProperties.getRetryAfter(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String header(String typ, String kid) {
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("alg", EcJwk.ALGORITHM);
        header.put("typ", typ);
        header.put("kid", kid);
        try {
            return B64URL.encodeToString(JSON.writeValueAsBytes(header));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String base64(String signingInput) {
        return Base64.getEncoder().encodeToString(signingInput.getBytes(StandardCharsets.US_ASCII));
    }

    @PreDestroy
    public void close() {
        batcher.close();
    }
}
