package io.identitybroker.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.identitybroker.testing.TestVault;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OAuth {@code error} codes the code can answer ({@link OAuthErrorCode}) are exactly the ones
 * docs/oauth.md documents ("Errors" table), the {@code OAuthError} schema of docs/openapi.yaml
 * enumerates, and no route lists another ({@code x-oauth-errors}). Needs no Vault, database or broker.
 */
class OAuthErrorCodesDocumentedTest {
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z_]+)` \\| [0-9, ]+ \\|", Pattern.MULTILINE);

    private static Set<String> codes() {
        return Arrays.stream(OAuthErrorCode.values()).map(OAuthErrorCode::code).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void everyOAuthErrorCodeIsDocumentedInOAuthMdAndEveryDocumentedOneExists() throws IOException {
        String text = Files.readString(TestVault.repoRoot().resolve("docs/oauth.md"));
        int start = text.indexOf("\n## Errors\n");
        assertTrue(start >= 0, "docs/oauth.md has the section ## Errors");
        int end = text.indexOf("\n## ", start + 5);
        Matcher m = ROW.matcher(text.substring(start, end));
        Set<String> documented = new TreeSet<>();
        while (m.find()) {
            documented.add(m.group(1));
        }
        assertEquals(codes(), documented, "OAuthErrorCode vs the Errors table of docs/oauth.md");
    }

    @Test
    void openApiEnumeratesExactlyTheseCodes() throws IOException {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(TestVault.repoRoot().resolve("docs/openapi.yaml").toFile());
        Set<String> schema = new TreeSet<>();
        root.at("/components/schemas/OAuthError/properties/error/enum").forEach(c -> schema.add(c.asText()));
        assertEquals(codes(), schema, "the OAuthError schema's error enum");
        Set<String> listed = new TreeSet<>();
        root.findValues("x-oauth-errors").forEach(list -> list.forEach(c -> listed.add(c.asText())));
        listed.removeAll(codes());
        assertTrue(listed.isEmpty(), "x-oauth-errors that no OAuthErrorCode has: " + listed);
    }
}
