package io.identitybroker.ibagent;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The identity the daemon serves right now: SVID and trust bundle, swapped together under one
 * lock. Listeners (the Workload API's open streams) are told after every change.
 */
public final class Identity {
    /** Called after each change, on the thread that made it; must not block. */
    public interface Listener {
        void changed(Snapshot snapshot);
    }

    /** One consistent view. */
    public record Snapshot(AgentInfo info, Svid svid, SpiffeBundle bundle) {
    }

    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile Snapshot snapshot;

    public Identity(AgentInfo info, Svid svid, SpiffeBundle bundle) {
        this.snapshot = new Snapshot(info, svid, bundle);
    }

    public Snapshot snapshot() {
        return snapshot;
    }

    public synchronized void update(Svid svid, SpiffeBundle bundle) {
        snapshot = new Snapshot(snapshot.info(), svid, bundle);
        Snapshot s = snapshot;
        for (Listener l : listeners) {
            l.changed(s);
        }
    }

    public void listen(Listener l) {
        listeners.add(l);
    }

    public void unlisten(Listener l) {
        listeners.remove(l);
    }
}
