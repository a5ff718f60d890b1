package io.identitybroker.database;

import io.identitybroker.testing.BrokerProcess;
import io.identitybroker.testing.TestVault;
import io.identitybroker.testing.VaultExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An H2 file URL gets commits that are durable before they are acknowledged, or the broker does not start. */
@ExtendWith(VaultExtension.class)
class H2DurabilityTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "jdbc:h2:file:./data/broker;MODE=PostgreSQL   | true",
            "jdbc:h2:./data/broker                        | true",
            "jdbc:h2:file:/var/lib/ib;write_delay=500     | true",
            "jdbc:h2:tcp://db:9092/~/broker               | true",
            "jdbc:h2:mem:x;DB_CLOSE_DELAY=-1              | false",
            "jdbc:h2:tcp://db:9092/mem:x                  | false",
            "jdbc:postgresql://db:5432/ib                 | false",
    })
    void everyH2FileOrServerUrlGetsGroupCommitAndOthersAreLeftAlone(String url, boolean expected) {
        assertEquals(expected, H2Durability.needsGroupCommit(url));
    }

    @ParameterizedTest
    @CsvSource({"jdbc:h2:file:./data/broker;WRITE_DELAY=0", "jdbc:h2:file:./data/broker;LOG=0"})
    void aFileUrlThatStopsTheBackgroundWriterOrTheLogIsRefused(String url) {
        assertThrows(IllegalArgumentException.class, () -> H2Durability.needsGroupCommit(url));
    }

    @Test
    void whenTheUrlStopsH2sBackgroundWriterThenTheBrokerRefusesToStartWithOneClearLine(TestVault vault) throws Exception {
        Path dir = Files.createTempDirectory("broker-weak-h2-");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> BrokerProcess.start(vault, Map.of(
                "datasources.default.url", "jdbc:h2:file:" + dir.resolve("broker") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;WRITE_DELAY=0")));
        assertTrue(e.getMessage().contains("Refusing to start: datasources.default.url (BROKER_DB_URL) refused: WRITE_DELAY=0 in the H2 URL"),
                e.getMessage());
    }
}
