package loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;



record Memory(long rssKiB, long hwmKiB) {
    static Memory of(long pid) {
        try {
            Map<String, Long> m = new HashMap<>();
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:") || line.startsWith("VmHWM:")) {
                    m.put(line.substring(0, 5), Long.parseLong(line.replaceAll("[^0-9]", "")));
                }
            }
            return new Memory(m.getOrDefault("VmRSS", -1L), m.getOrDefault("VmHWM", -1L));
        } catch (IOException e) {
            return new Memory(-1, -1);
        }
    }

    String mib(long kib) {
        return kib < 0 ? "?" : String.format(Locale.ROOT, "%.0f MiB", kib / 1024.0);
    }
}
