package io.identitybroker.crypto;

import io.identitybroker.testing.FastTest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The compact-JWS shape every token verifier checks before it decodes anything. */
@FastTest
class CompactJwsTest {

    @ParameterizedTest(name = "[{index}] ''{0}'' -> signed {1}, unsigned allowed {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            // token                       | well formed | well formed when the signature may be empty
            "eyJh.eyJz.c2ln                | true        | true",
            "A-_z.0.9                      | true        | true",
            "eyJh.eyJz.                    | false       | true",   // unsigned: refused by shape unless asked
            "eyJh..c2ln                    | false       | false",  // empty payload
            ".eyJz.c2ln                    | false       | false",  // empty header
            "eyJh.eyJz                     | false       | false",  // two parts
            "eyJh.eyJz.c2ln.eHRy           | false       | false",  // four parts (JWE has five)
            "eyJh.eyJz.c2ln=               | false       | false",  // padding
            "eyJh.ey+z.c2ln                | false       | false",  // base64, not base64url
            "'eyJh.eyJz.c2 ln'             | false       | false",  // space
            "eyJh.eyJz.c2ln\u00e9          | false       | false",  // non-ASCII
            "''                            | false       | false",
            "..                            | false       | false"})
    void whenATokenIsCheckedThenOnlyThreeBase64UrlPartsPass(String token, boolean signed, boolean unsignedAllowed) {
        assertEquals(signed, CompactJws.wellFormed(token, false));
        assertEquals(unsignedAllowed, CompactJws.wellFormed(token, true));
    }
}
