package io.identitybroker.oauth;

import java.time.Duration;

/**
 * One ES256 key in Vault transit and how the broker uses it: where it lives, how often its public
 * versions are re-read, how signatures are batched, and under which metric prefix. The access-token
 * key and the JWT-SVID key are two instances, so the same ring and signer serve both while the keys
 * themselves stay apart (a key of one never verifies a token of the other).
 *
 * @param purpose      words for log lines and errors, e.g. "token signing"
 * @param metricPrefix e.g. {@code broker.oauth.transit}: {@code .sign.calls}, {@code .signatures}, {@code .key.reads}
 */
public record TransitKeySettings(String mount, String key, Duration keyRefreshMinInterval, int signBatchMaxSize,
                                 Duration signBatchMaxWait, int signMaxConcurrentCalls, String purpose,
                                 String metricPrefix) {
}
