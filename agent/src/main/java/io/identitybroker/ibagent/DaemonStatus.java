package io.identitybroker.ibagent;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;

/** {@code status.json}: what the daemon last did and will do next; written on every change. */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DaemonStatus(@JsonProperty("state") String state,
                           @JsonProperty("pid") long pid,
                           @JsonProperty("started_at") Instant startedAt,
                           @JsonProperty("socket") String socket,
                           @JsonProperty("serial_number") String serialNumber,
                           @JsonProperty("not_after") Instant notAfter,
                           @JsonProperty("next_renewal") Instant nextRenewal,
                           @JsonProperty("rotations") long rotations,
                           @JsonProperty("last_rotation_at") Instant lastRotationAt,
                           @JsonProperty("last_error") String lastError,
                           @JsonProperty("last_error_at") Instant lastErrorAt,
                           @JsonProperty("updated_at") Instant updatedAt) {
    /** Running and renewing on schedule. */
    public static final String RUNNING = "running";
    /** The broker could not be reached or refused for now; retrying with backoff. */
    public static final String RETRYING = "retrying";
    /** The broker moved on to a certificate the agent does not have; served until it expires. */
    public static final String RENEWAL_IMPOSSIBLE = "renewal_impossible";
    public static final String EXPIRED = "expired";
    public static final String REVOKED = "revoked";
    public static final String STOPPED = "stopped";
}
