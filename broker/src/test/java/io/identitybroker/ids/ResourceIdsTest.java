package io.identitybroker.ids;

import io.identitybroker.testing.FastTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The shapes path ids must have: one row per candidate with what each rule says of it. */
@FastTest
class ResourceIdsTest {

    @ParameterizedTest(name = "''{0}'': tenant {1}, uuid {2}, trust domain {3}")
    @CsvSource(nullValues = "NULL", value = {
            "acme,                                 true,  false, true",
            "a,                                    true,  false, true",
            "0-9,                                  true,  false, true",
            "-acme,                                false, false, true",
            "Acme,                                 false, false, false",
            "acme_1,                               false, false, true",
            "example.org,                          false, false, true",
            "sub.example-org_1,                    false, false, true",
            "a.b.c,                                false, false, true",
            "'.',                                  false, false, false",
            "..,                                   false, false, false",
            ".example.org,                         false, false, false",
            "example.org.,                         false, false, false",
            "a..b,                                 false, false, false",
            "a/b,                                  false, false, false",
            "a%2e,                                 false, false, false",
            "'',                                   false, false, false",
            "NULL,                                 false, false, false",
            "0190f3a4-5b6c-7d8e-9f00-112233445566, true,  true,  true",
            "0190F3A4-5B6C-7D8E-9F00-112233445566, false, false, false",
            "0190f3a4-5b6c-7d8e-9f00-11223344556,  true,  false, true",
            "{0190f3a4-5b6c-7d8e-9f00-112233445566}, false, false, false",
            "00000000-0000-0000-0000-000000000000, true,  true,  true"})
    void eachIdShapeIsJudgedByItsRule(String value, boolean tenant, boolean uuid, boolean trustDomain) {
        assertEquals(tenant, ResourceIds.isTenant(value), "tenant");
        assertEquals(uuid, ResourceIds.isUuid(value), "uuid");
        assertEquals(trustDomain, ResourceIds.isTrustDomain(value), "trust domain");
    }

    @ParameterizedTest(name = "{0} characters: tenant {1}, trust domain {2}")
    @CsvSource({"63, true, true", "64, false, true", "255, false, true", "256, false, false"})
    void lengthLimitsHold(int length, boolean tenant, boolean trustDomain) {
        String value = "a".repeat(length);
        assertEquals(tenant, ResourceIds.isTenant(value), "tenant");
        assertEquals(trustDomain, ResourceIds.isTrustDomain(value), "trust domain");
    }
}
