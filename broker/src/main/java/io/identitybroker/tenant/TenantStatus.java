package io.identitybroker.tenant;

import com.fasterxml.jackson.annotation.JsonValue;

/** Whether a tenant's agents may enroll. */
public enum TenantStatus {
    ACTIVE, SUSPENDED;

    @JsonValue
    public String json() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static TenantStatus fromJson(String value) {
        for (TenantStatus s : values()) {
            if (s.json().equals(value)) {
                return s;
            }
        }
        throw new IllegalArgumentException(value);
    }
}
