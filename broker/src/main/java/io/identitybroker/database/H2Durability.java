package io.identitybroker.database;

import java.util.Locale;

/**
 * What an H2 URL must not say, and whether the broker must make its commits durable itself.
 * <p>
 * H2 keeps a commit in memory until its next store writes the file (up to {@code WRITE_DELAY}
 * later, 500 ms by default), so the broker acknowledges a write only after a store that started
 * after its commit ({@link H2GroupCommit}): every H2 file or server URL gets that treatment. Two
 * settings are refused at start: {@code LOG=0} (no transaction log) and {@code WRITE_DELAY=0},
 * which stores every commit on its own but also stops H2's background writer, the only thing
 * that compacts the file: it then grows by every chunk ever written (tens of KB per enrollment)
 * until the broker stops. In-memory URLs and other databases are left alone.
 */
public final class H2Durability {
    private H2Durability() {
    }

    /**
     * @return whether {@code url} names an H2 database whose commits must be awaited
     * @throws IllegalArgumentException when the URL disables H2's log or its background writer
     */
    public static boolean needsGroupCommit(String url) {
        if (!isH2(url) || isInMemory(url)) {
            return false;
        }
        String log = setting(url, "LOG");
        if ("0".equals(log)) {
            throw new IllegalArgumentException("LOG=0 in the H2 URL disables H2's transaction log; remove it");
        }
        if ("0".equals(setting(url, "WRITE_DELAY"))) {
            throw new IllegalArgumentException("WRITE_DELAY=0 in the H2 URL stops H2's background writer, so the"
                    + " database file is never compacted and grows without bound; remove it (the broker waits for"
                    + " every acknowledged commit to be written)");
        }
        return true;
    }

    /** Whether {@code url} is an H2 URL. */
    static boolean isH2(String url) {
        return url != null && url.regionMatches(true, 0, "jdbc:h2:", 0, 8);
    }

    /** Whether an H2 URL sets {@code MODE=PostgreSQL}, the dialect of the broker's schema and queries. */
    static boolean postgresMode(String url) {
        return "PostgreSQL".equalsIgnoreCase(setting(url, "MODE"));
    }

    private static boolean isInMemory(String url) {
        String rest = url.substring(8).toLowerCase(Locale.ROOT);
        return rest.startsWith("mem:") || rest.contains("/mem:") || rest.startsWith("tcp:") && rest.contains("/mem:");
    }

    /** The value of {@code ;NAME=value} in the URL's settings part, or null. */
    private static String setting(String url, String name) {
        String[] parts = url.split(";");
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq > 0 && parts[i].substring(0, eq).trim().equalsIgnoreCase(name)) {
                return parts[i].substring(eq + 1).trim();
            }
        }
        return null;
    }
}
