package io.identitybroker.api;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.identitybroker.testing.BrokerApi;
import io.identitybroker.testing.BrokerProcess;
import io.identitybroker.testing.TestVault;
import io.identitybroker.testing.VaultExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.MDC;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shipped logback.xml: BROKER_LOG_FORMAT=json writes one JSON object per line with the request's
 * MDC fields at top level, and client-supplied text with quotes and line breaks stays inside its
 * field; the plain default keeps a forged line break from starting a new line.
 */
@ExtendWith(VaultExtension.class)
class JsonLogFormatTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SHIPPED = Path.of("src/main/resources/logback.xml");
    private static final String HOSTILE = "agent \"x\"\n{\"level\":\"ERROR\",\"message\":\"forged\"}\r\nend";

    @Test
    void jsonLinesCarryTheMdcFieldsAndEscapeClientText() throws Exception {
        List<String> lines = logWith("json");
        assertEquals(1, lines.size(), lines.toString());
        JsonNode line = JSON.readTree(lines.get(0));
        assertEquals("refused " + HOSTILE, line.path("message").asText());
        assertEquals("WARN", line.path("level").asText());
        assertEquals("cid-12345678", line.path("correlation_id").asText());
        assertEquals("acme", line.path("tenant").asText());
        assertEquals("0190d6c4-0000-7000-8000-000000000001", line.path("agent_id").asText());
        assertEquals("/api/v1/agents/{agent_id}/jwt-svids", line.path("route").asText());
        assertEquals("client_error", line.path("outcome").asText());
    }

    @Test
    void thePlainDefaultKeepsOneEventOnOneLine() throws Exception {
        List<String> lines = logWith(null);
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("cid=cid-12345678"), lines.get(0));
        assertTrue(lines.get(0).endsWith("agent \"x\"\\n{\"level\":\"ERROR\",\"message\":\"forged\"}\\nend"), lines.get(0));
    }

    @Test
    void aBrokerRunWithJsonLogsWritesOnlyJsonLinesAndAnAccessLineWithTheRequestFields(TestVault vault) throws Exception {
        // The test classpath carries logback-test.xml; the process is pointed at the shipped file.
        try (BrokerProcess broker = BrokerProcess.start(vault, Map.of("BROKER_LOG_FORMAT", "json", "BROKER_ACCESS_LOG_LEVEL", "INFO",
                "logback.configurationFile", SHIPPED.toAbsolutePath()))) {
            BrokerApi.Response r = broker.api().send("GET", "/api/v1/tenants/acme", null, vault.platformAdminToken(),
                    Map.of(CorrelationId.HEADER, "trace-abcdef-0001"));
            assertTrue(r.status() == 200 || r.status() == 404, r.raw());
            JsonNode access = null;
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (access == null && System.nanoTime() < deadline) {
                for (String text : broker.log().split("\n")) {
                    if (text.isBlank()) {
                        continue;
                    }
                    JsonNode line = JSON.readTree(text);
                    assertTrue(line.isObject(), text);
                    if ("io.identitybroker.access".equals(line.path("logger_name").asText())
                            && "trace-abcdef-0001".equals(line.path("correlation_id").asText())) {
                        access = line;
                    }
                }
                Thread.sleep(100);
            }
            assertFalse(access == null, "no access line:\n" + broker.log());
            assertEquals("/api/v1/tenants/{tenant}", access.path("route").asText(), access.toString());
            assertEquals("acme", access.path("tenant").asText(), access.toString());
            assertEquals(String.valueOf(r.status()), access.path("status").asText(), access.toString());
            assertEquals(r.status() == 200 ? "success" : "client_error", access.path("outcome").asText(), access.toString());
        }
    }

    /** Configures a fresh logback context from the shipped logback.xml and logs one WARN with request MDC fields. */
    private static List<String> logWith(String format) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(MDC.getMDCAdapter());
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            if (format != null) {
                context.putProperty("BROKER_LOG_FORMAT", format);
            }
            JoranConfigurator configurator = new JoranConfigurator();
            configurator.setContext(context);
            configurator.doConfigure(SHIPPED.toFile());
            MDC.put("correlation_id", "cid-12345678");
            MDC.put("tenant", "acme");
            MDC.put("agent_id", "0190d6c4-0000-7000-8000-000000000001");
            MDC.put("route", "/api/v1/agents/{agent_id}/jwt-svids");
            MDC.put("outcome", "client_error");
            context.getLogger("io.identitybroker.test").warn("refused {}", HOSTILE);
        } finally {
            MDC.clear();
            context.stop();
            System.setOut(original);
        }
        List<String> lines = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                lines.add(line);
            }
        }
        return lines;
    }
}
