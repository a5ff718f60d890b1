package io.identitybroker.tenant;

import io.identitybroker.api.ProblemException;
import io.identitybroker.api.ProblemType;
import io.identitybroker.ids.ResourceIds;
import io.identitybroker.ids.SpiffeId;

import java.util.regex.Pattern;

/**
 * What defines a tenant, validated, with defaults applied: from an API request or from a
 * declaration in Vault KV ({@code identity-broker-kv/tenants/<id>}).
 */
public record TenantDeclaration(String id, String displayName, String trustDomain, String pkiMount, String pkiRole) {
    public static final Pattern ID = ResourceIds.TENANT;
    private static final Pattern MOUNT = Pattern.compile("[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*");
    private static final Pattern ROLE = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    /**
     * Validates and fills defaults: display name = id, mount {@code pki-tenants/<id>}, role {@code agent}.
     *
     * @throws ProblemException 400 {@code invalid_tenant} naming the field at fault
     */
    public static TenantDeclaration of(String id, String displayName, String trustDomain, String pkiMount, String pkiRole) {
        if (id == null || !ID.matcher(id).matches()) {
            throw invalid("id must match [a-z0-9][a-z0-9-]{0,62}.");
        }
        if (!SpiffeId.isTrustDomain(trustDomain)) {
            throw invalid("trust_domain must be a SPIFFE trust domain: lowercase letters, digits, '.', '-', '_', no empty label.");
        }
        String name = displayName(displayName == null ? id : displayName);
        String mount = pkiMount == null ? "pki-tenants/" + id : pkiMount;
        String role = pkiRole == null ? "agent" : pkiRole;
        if (!MOUNT.matcher(mount).matches() || mount.length() > 255 || !ROLE.matcher(role).matches()) {
            throw invalid("pki_mount and pki_role must be plain Vault path segments.");
        }
        return new TenantDeclaration(id, name, trustDomain, mount, role);
    }

    static String displayName(String value) {
        if (value.isBlank() || value.length() > 200 || value.chars().anyMatch(Character::isISOControl)) {
            throw invalid("display_name must be 1-200 printable characters.");
        }
        return value;
    }

    boolean sameAs(Tenant t) {
        return displayName.equals(t.displayName()) && pkiMount.equals(t.pkiMount()) && pkiRole.equals(t.pkiRole());
    }

    private static ProblemException invalid(String detail) {
        return new ProblemException(ProblemType.INVALID_TENANT, detail);
    }
}
