package io.identitybroker.tenant;

import io.identitybroker.api.ProblemException;
import io.identitybroker.testing.FastTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TenantDeclaration#of}: defaults for what was left out, and a 400 {@code invalid_tenant}
 * naming the field at fault. The checks run id, trust domain, display name, then mount and role.
 */
@FastTest
class TenantDeclarationTest {

    @ParameterizedTest(name = "{0} {1} {2} {3} {4} -> {5} {6} {7}")
    @CsvSource(nullValues = "NULL", value = {
            // id, display name, trust domain, mount, role -> display name, mount, role
            "acme, NULL,        example.org, NULL,             NULL,   acme,        pki-tenants/acme, agent",
            "acme, Acme Corp.,  example.org, NULL,             NULL,   Acme Corp.,  pki-tenants/acme, agent",
            "acme, Acme,        a.b_c-d,     pki/acme,         issuer, Acme,        pki/acme,         issuer",
            "a-1,  NULL,        x,           pki-a_1/nested/x, r_1-2,  a-1,         pki-a_1/nested/x, r_1-2"})
    void validDeclarationsGetTheirDefaults(String id, String displayName, String trustDomain, String mount, String role,
                                           String expectedName, String expectedMount, String expectedRole) {
        TenantDeclaration d = TenantDeclaration.of(id, displayName, trustDomain, mount, role);
        assertEquals(new TenantDeclaration(id, expectedName, trustDomain, expectedMount, expectedRole), d);
    }

    @ParameterizedTest(name = "{0} {1} {2} {3} {4} -> {5}")
    @CsvSource(nullValues = "NULL", value = {
            // id, display name, trust domain, mount, role -> the field the detail names
            "NULL,  NULL,  example.org, NULL,        NULL,  id must",
            "Acme,  NULL,  example.org, NULL,        NULL,  id must",
            "-acme, NULL,  example.org, NULL,        NULL,  id must",
            "a.b,   NULL,  example.org, NULL,        NULL,  id must",
            "Acme,  NULL,  Example.org, NULL,        NULL,  id must",
            "acme,  NULL,  NULL,        NULL,        NULL,  trust_domain",
            "acme,  NULL,  Example.org, NULL,        NULL,  trust_domain",
            "acme,  NULL,  a..b,        NULL,        NULL,  trust_domain",
            "acme,  NULL,  example.org/x, NULL,      NULL,  trust_domain",
            "acme,  '  ',  example.org, NULL,        NULL,  display_name",
            "acme,  '',    Example.org, NULL,        NULL,  trust_domain",
            "acme,  NULL,  example.org, ../sys,      NULL,  pki_mount",
            "acme,  NULL,  example.org, pki//acme,   NULL,  pki_mount",
            "acme,  NULL,  example.org, /pki,        NULL,  pki_mount",
            "acme,  NULL,  example.org, pki/acme/,   NULL,  pki_mount",
            "acme,  NULL,  example.org, NULL,        a/b,   pki_role",
            "acme,  NULL,  example.org, NULL,        '',    pki_role",
            "acme,  '',    example.org, ../sys,      NULL,  display_name"})
    void invalidDeclarationsNameTheFirstFieldAtFault(String id, String displayName, String trustDomain, String mount,
                                                     String role, String field) {
        ProblemException e = assertThrows(ProblemException.class,
                () -> TenantDeclaration.of(id, displayName, trustDomain, mount, role));
        assertEquals(400, e.status().getCode());
        assertEquals("invalid_tenant", e.code());
        assertTrue(e.detail().contains(field), e.detail());
    }

    @ParameterizedTest(name = "display name of {0} characters with {1}: valid {2}")
    @CsvSource({"200, '', true", "201, '', false", "10, '\t', false", "10, '\u0085', false", "10, 'é', true"})
    void displayNamesArePrintableAndAtMost200Characters(int length, String extra, boolean valid) {
        String name = "n".repeat(length - extra.length()) + extra;
        if (valid) {
            assertEquals(name, TenantDeclaration.of("acme", name, "example.org", null, null).displayName());
        } else {
            assertEquals("invalid_tenant", assertThrows(ProblemException.class,
                    () -> TenantDeclaration.of("acme", name, "example.org", null, null)).code());
        }
    }

    @ParameterizedTest(name = "mount of {0} characters: valid {1}")
    @CsvSource({"255, true", "256, false"})
    void mountsAreAtMost255Characters(int length, boolean valid) {
        String mount = "m".repeat(length);
        if (valid) {
            assertEquals(mount, TenantDeclaration.of("acme", null, "example.org", mount, null).pkiMount());
        } else {
            assertThrows(ProblemException.class, () -> TenantDeclaration.of("acme", null, "example.org", mount, null));
        }
    }
}
