package io.identitybroker.ids;

import io.identitybroker.testing.FastTest;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@FastTest
class TimeOrderedUuidTest {

    @Test
    void idsAreVersion7WithTheirMillisecondUpFront() {
        Instant at = Instant.parse("2026-11-24T02:55:00.123Z");
        UUID id = TimeOrderedUuid.next(Clock.fixed(at, ZoneOffset.UTC));
        assertEquals(7, id.version());
        assertEquals(2, id.variant(), "RFC 9562 variant (binary 10)");
        assertEquals(at.toEpochMilli(), id.getMostSignificantBits() >>> 16);
        assertEquals(id, UUID.fromString(id.toString()));
    }

    @Test
    void laterIdsSortAfterEarlierOnesAsStringsAndNoneRepeat() {
        List<String> ids = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int ms = 0; ms < 2000; ms++) {
            String id = TimeOrderedUuid.next(Clock.fixed(Instant.ofEpochMilli(1_795_000_000_000L + ms), ZoneOffset.UTC)).toString();
            ids.add(id);
            assertTrue(seen.add(id));
        }
        for (int i = 1; i < ids.size(); i++) {
            assertTrue(ids.get(i - 1).compareTo(ids.get(i)) < 0, ids.get(i - 1) + " then " + ids.get(i));
        }
    }
}
