package loadgen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static loadgen.Util.read;

/** CPU time (ms) used by the broker, Vault, the peer CA (step-ca, when it runs), this load generator, and the whole machine. */
final class Cpu {
    final double brokerMs;
    final double vaultMs;
    final double peerMs;
    final double selfMs;
    final double machineMs;

    Cpu(double brokerMs, double vaultMs, double peerMs, double selfMs, double machineMs) {
        this.brokerMs = brokerMs;
        this.vaultMs = vaultMs;
        this.peerMs = peerMs;
        this.selfMs = selfMs;
        this.machineMs = machineMs;
    }

    /** {@code peerPid} 0: no peer process (its figure is then -1, "not measured"). */
    static Cpu snapshot(Env env, long peerPid) {
        return new Cpu(cpuMs(env.brokerPid(), env.clkTck()), env.vaultPid() > 0 ? cpuMs(env.vaultPid(), env.clkTck()) : -1,
                peerPid > 0 ? cpuMs(peerPid, env.clkTck()) : -1, cpuMs(ProcessHandle.current().pid(), env.clkTck()),
                machineBusyMs(env.clkTck()));
    }

    Cpu plus(Cpu o) {
        return new Cpu(brokerMs + o.brokerMs, vaultMs < 0 ? -1 : vaultMs + o.vaultMs, peerMs < 0 ? -1 : peerMs + o.peerMs,
                selfMs + o.selfMs, machineMs + o.machineMs);
    }

    Cpu minus(Cpu o) {
        return new Cpu(brokerMs - o.brokerMs, vaultMs < 0 ? -1 : vaultMs - o.vaultMs, peerMs < 0 ? -1 : peerMs - o.peerMs,
                selfMs - o.selfMs, machineMs - o.machineMs);
    }

    /** CPU the rest of the machine used (other engineers' builds, the OS): what makes a window noisy. */
    double otherMs() {
        return Math.max(0, machineMs - brokerMs - Math.max(0, vaultMs) - Math.max(0, peerMs) - selfMs);
    }

    static double cpuMs(long pid, long clkTck) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields after "pid (comm) ": state=0 ... utime=11 stime=12 (stat fields 14 and 15)
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 1000.0 / clkTck;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
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
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
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
