package io.identitybroker.spiffe;

import io.identitybroker.oauth.OAuthConfiguration;
import io.identitybroker.oauth.TokenSigner;
import io.identitybroker.oauth.TransitKeyRing;
import io.identitybroker.oauth.TransitKeySettings;
import io.identitybroker.oauth.VaultTransitTokenSigner;
import io.identitybroker.vault.BrokerVault;
import io.identitybroker.vault.VaultConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.annotation.Context;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.annotation.PreDestroy;

import java.time.Clock;

/**
 * The JWT-SVID transit key: its own {@link TransitKeyRing} (public versions, re-read every
 * {@code broker.jwt-svid.key-refresh-interval}; a failed read keeps the last good set) and its own
 * batching {@link VaultTransitTokenSigner}. Never the access-token key, so neither key set verifies
 * the other's tokens. Created with the context, so a configuration naming the access-token key
 * stops the broker at start-up.
 */
@Context
public class JwtSvidKeys {
    /** The schedule: {@code broker.jwt-svid.key-refresh-interval} with its default. */
    private static final String INTERVAL = "${" + JwtSvidConfigurationProperties.PREFIX + ".key-refresh-interval:"
            + JwtSvidConfigurationProperties.DEFAULT_KEY_REFRESH_INTERVAL + "}";
    private final TransitKeyRing ring;
    private final VaultTransitTokenSigner signer;

    public JwtSvidKeys(BrokerVault vault, JwtSvidConfiguration properties, OAuthConfiguration oauth,
                       VaultConfiguration vaultProperties, Clock clock, MeterRegistry metrics) {
        TransitKeySettings settings = properties.key(oauth);
        this.ring = new TransitKeyRing(vault, settings, vaultProperties, clock, metrics);
        this.signer = new VaultTransitTokenSigner(vault, ring, settings, vaultProperties, metrics);
    }

    public TransitKeyRing ring() {
        return ring;
    }

    public TokenSigner signer() {
        return signer;
    }

    @Scheduled(fixedDelay = INTERVAL, initialDelay = INTERVAL)
    void refresh() {
        ring.refreshPeriodically();
    }

    @PreDestroy
    void close() {
        signer.close();
    }
}
