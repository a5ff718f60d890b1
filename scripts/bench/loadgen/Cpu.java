package loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static loadgen.Util.read;

/**
 * CPU time (ms) used by the broker, Vault, the peer CA (step-ca, when it runs), the broker's database server
 * (PostgreSQL with {@code --db postgres}: its postmaster and every backend), this load generator, and the whole
 * machine. A figure of -1 was not measured.
 */
final class Cpu {
    final double brokerMs;
    final double vaultMs;
    final double peerMs;
    final double databaseMs;
    final double selfMs;
    final double machineMs;

    Cpu(double brokerMs, double vaultMs, double peerMs, double databaseMs, double selfMs, double machineMs) {
        this.brokerMs = brokerMs;
        this.vaultMs = vaultMs;
        this.peerMs = peerMs;
        this.databaseMs = databaseMs;
        this.selfMs = selfMs;
        this.machineMs = machineMs;
    }

    /** {@code peerPid} 0: no peer process (its figure is then -1, "not measured"). */
    static Cpu snapshot(Env env, long peerPid) {
        return new Cpu(cpuMs(env.brokerPid(), env.clkTck()), env.vaultPid() > 0 ? cpuMs(env.vaultPid(), env.clkTck()) : -1,
                peerPid > 0 ? cpuMs(peerPid, env.clkTck()) : -1, env.databasePid() > 0 ? treeCpuMs(env.databasePid(), env.clkTck()) : -1,
                cpuMs(ProcessHandle.current().pid(), env.clkTck()), machineBusyMs(env.clkTck()));
    }

    Cpu plus(Cpu o) {
        return new Cpu(brokerMs + o.brokerMs, vaultMs < 0 ? -1 : vaultMs + o.vaultMs, peerMs < 0 ? -1 : peerMs + o.peerMs,
                databaseMs < 0 ? -1 : databaseMs + o.databaseMs, selfMs + o.selfMs, machineMs + o.machineMs);
    }

    Cpu minus(Cpu o) {
        return new Cpu(brokerMs - o.brokerMs, vaultMs < 0 ? -1 : vaultMs - o.vaultMs, peerMs < 0 ? -1 : peerMs - o.peerMs,
                databaseMs < 0 ? -1 : databaseMs - o.databaseMs, selfMs - o.selfMs, machineMs - o.machineMs);
    }

    /** CPU the rest of the machine used (other engineers' builds, the OS): what makes a window noisy. */
    double otherMs() {
        return Math.max(0, machineMs - brokerMs - Math.max(0, vaultMs) - Math.max(0, peerMs) - Math.max(0, databaseMs) - selfMs);
    }

    static double cpuMs(long pid, long clkTck) {
        try {
            String[] f = statFields(Path.of("/proc/" + pid + "/stat"));
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000.0 / clkTck;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * CPU ms of a server that forks a process per connection (PostgreSQL): the parent's own time, the
     * time of children it has reaped (stat fields cutime and cstime), and each live child's time.
     */
    static double treeCpuMs(long pid, long clkTck) {
        double ms = 0;
        try {
            String[] f = statFields(Path.of("/proc/" + pid + "/stat"));
            ms += (Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14])) * 1000.0 / clkTck;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                if (!p.getFileName().toString().chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String[] f = statFields(p.resolve("stat"));
                    if (Long.parseLong(f[1]) == pid) {
                        ms += (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000.0 / clkTck;
                    }
                } catch (IOException | RuntimeException gone) {
                    // the process ended
                }
            }
        } catch (IOException e) {
            return Double.NaN;
        }
        return ms;
    }

    /** The fields after "pid (comm) " of a stat file: state=0, ppid=1, ..., utime=11, stime=12, cutime=13, cstime=14. */
    private static String[] statFields(Path stat) throws IOException {
        return fieldsAfterComm(Files.readString(stat));
    }

    private static String[] fieldsAfterComm(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    /**
     * CPU ms of each live thread, keyed "tid group" where the group is the thread's name with
     * digits as '#'. Per thread, because threads come and go (idle pool threads, the JIT's dynamic
     * compiler threads): a group's total can shrink between two readings.
     */
    static Map<String, Double> threadCpu(long pid, long clkTck) {
        Map<String, Double> out = new HashMap<>();
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("\\d+", "#");
                    String[] f = fieldsAfterComm(stat);
                    out.put(t.getFileName() + " " + comm, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000.0 / clkTck);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended
                }
            }
        } catch (IOException e) {
            // no such process
        }
        return out;
    }

    /** CPU ms each thread group used between two {@link #threadCpu} readings (threads that ended in between are lost). */
    static Map<String, Double> groupsBetween(Map<String, Double> before, Map<String, Double> after) {
        Map<String, Double> out = new LinkedHashMap<>();
        after.forEach((k, v) -> out.merge(k.substring(k.indexOf(' ') + 1), v - before.getOrDefault(k, 0.0), Double::sum));
        return out;
    }

    /** Busy time of all cores: /proc/stat "cpu" user + nice + system + irq + softirq + steal. */
    static double machineBusyMs(long clkTck) {
        String[] f = read("/proc/stat").split("\n")[0].trim().split("\\s+");
        try {
            long busy = Long.parseLong(f[1]) + Long.parseLong(f[2]) + Long.parseLong(f[3]) + Long.parseLong(f[6])
                    + Long.parseLong(f[7]) + Long.parseLong(f[8]);
            return busy * 1000.0 / clkTck;
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }
}
