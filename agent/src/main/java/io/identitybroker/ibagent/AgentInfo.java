package io.identitybroker.ibagent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.net.URI;
import java.time.Instant;

/** {@code agent.json}: who the agent is and where its broker is. Holds no secret. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AgentInfo(@JsonProperty("agent_id") String agentId,
                        @JsonProperty("spiffe_id") String spiffeId,
                        @JsonProperty("tenant") String tenant,
                        @JsonProperty("broker_url") String brokerUrl,
                        @JsonProperty("ca_file") String caFile,
                        @JsonProperty("key_type") String keyType,
                        @JsonProperty("serial_number") String serialNumber,
                        @JsonProperty("not_after") Instant notAfter) {

    /** The trust domain of the SPIFFE ID ({@code spiffe://td/...} gives {@code td}). */
    public String trustDomain() {
        return URI.create(spiffeId).getHost();
    }

    /** The tenant is the path segment after {@code /tenant/} in the broker's SPIFFE IDs. */
    public static String tenantOf(String spiffeId) {
        String[] parts = URI.create(spiffeId).getPath().split("/");
        for (int i = 0; i + 1 < parts.length; i++) {
            if (parts[i].equals("tenant")) {
                return parts[i + 1];
            }
        }
        return null;
    }

    public AgentInfo withCertificate(String serial, Instant notAfter) {
        return new AgentInfo(agentId, spiffeId, tenant, brokerUrl, caFile, keyType, serial, notAfter);
    }
}
