package io.identitybroker.database;

import java.util.Locale;

/**
 * What an H2 file URL must say for a commit to survive a crash of the broker process.
 * <p>
 * H2 delays writing committed transactions by {@code WRITE_DELAY} milliseconds (500 by default),
 * so a broker killed within that window forgets what it already acknowledged. With
 * {@code WRITE_DELAY=0} every commit is written to the file before it returns (into the operating
 * system's cache: it survives a process crash, not a power loss, since H2 does not fsync each
 * commit). A file URL without the setting is corrected; one that asks for a delay, or disables
 * the transaction log ({@code LOG=0}), is refused: the broker would acknowledge writes it can lose.
 * In-memory and non-H2 URLs are returned unchanged.
 */
public final class H2Durability {
    static final String SETTING = "WRITE_DELAY=0";

    private H2Durability() {
    }

    /**
     * @return {@code url}, with {@code ;WRITE_DELAY=0} appended when it is an H2 file URL without it
     * @throws IllegalArgumentException when the URL asks H2 to delay or skip writing commits
     */
    public static String enforce(String url) {
        if (!isH2(url) || isInMemory(url)) {
            return url;
        }
        String writeDelay = setting(url, "WRITE_DELAY");
        String log = setting(url, "LOG");
        if (log != null && log.equals("0")) {
            throw new IllegalArgumentException("LOG=0 in the H2 URL disables H2's transaction log; remove it");
        }
        if (writeDelay == null) {
            return url + ";" + SETTING;
        }
        if (!writeDelay.equals("0")) {
            throw new IllegalArgumentException("WRITE_DELAY=" + writeDelay + " in the H2 URL lets H2 acknowledge commits"
                    + " it has not written; use WRITE_DELAY=0 or leave it out");
        }
        return url;
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
