package io.identitybroker.enrollment;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;

/** What an agent receives once: its identity, certificate and secret. */
public record ExchangeResponse(String agentId, String spiffeId, String certificate, List<String> caChain,
                               String serialNumber, @JsonProperty("x5t#S256") String x5tS256, Instant notAfter,
                               String agentSecret) {
    @Override
    public String toString() {
        return "ExchangeResponse[agentId=" + agentId + ", serial=" + serialNumber + ", agentSecret=<redacted>]";
    }
}
