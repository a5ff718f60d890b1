package io.identitybroker.api;

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
 * The problem types the code can answer ({@link ProblemType}) and the ones docs/api.md documents
 * ("Problem types" table) are the same set of code and status pairs, and every code
 * docs/openapi.yaml lists for a route ({@code x-problem-types}) exists. Needs no Vault, database or broker.
 */
class ProblemTypesDocumentedTest {
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9_]+)` \\| (\\d{3}) \\|", Pattern.MULTILINE);

    /** The rows of the table under {@code heading} in {@code doc}: "code status". */
    static Set<String> documented(String doc, String heading) throws IOException {
        String text = Files.readString(TestVault.repoRoot().resolve(doc));
        int start = text.indexOf("\n" + heading + "\n");
        assertTrue(start >= 0, doc + " has the section " + heading);
        int end = text.indexOf("\n## ", start + heading.length() + 2);
        Matcher m = ROW.matcher(text.substring(start, end < 0 ? text.length() : end));
        Set<String> rows = new TreeSet<>();
        while (m.find()) {
            assertTrue(rows.add(m.group(1) + " " + m.group(2)), "documented once: " + m.group(1) + " " + m.group(2));
        }
        return rows;
    }

    @Test
    void everyProblemTypeIsDocumentedInApiMdAndEveryDocumentedOneExists() throws IOException {
        Set<String> emitted = Arrays.stream(ProblemType.values()).map(t -> t.code() + " " + t.status().getCode())
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(ProblemType.values().length, emitted.size(), "no two constants share a code and a status");
        Set<String> documented = documented("docs/api.md", "## Problem types");
        Set<String> undocumented = new TreeSet<>(emitted);
        undocumented.removeAll(documented);
        Set<String> unknown = new TreeSet<>(documented);
        unknown.removeAll(emitted);
        assertTrue(undocumented.isEmpty(), "in ProblemType but not in docs/api.md: " + undocumented);
        assertTrue(unknown.isEmpty(), "in docs/api.md but not in ProblemType: " + unknown);
    }

    @Test
    void everyCodeOpenApiListsForARouteIsAProblemType() throws IOException {
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(TestVault.repoRoot().resolve("docs/openapi.yaml").toFile());
        Set<String> codes = Arrays.stream(ProblemType.values()).map(ProblemType::code).collect(Collectors.toSet());
        Set<String> listed = new TreeSet<>();
        root.findValues("x-problem-types").forEach(list -> list.forEach(code -> listed.add(code.asText())));
        assertTrue(listed.size() > 20, "openapi.yaml lists problem types: " + listed);
        listed.removeAll(codes);
        assertTrue(listed.isEmpty(), "x-problem-types in docs/openapi.yaml that no ProblemType has: " + listed);
    }
}
