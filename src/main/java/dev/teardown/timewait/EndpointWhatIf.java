package dev.teardown.timewait;

import dev.teardown.capture.PacketTime;
import dev.teardown.teardown.ServerEndpoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One server endpoint's side of the {@link IdleWhatIf}: per idle timeout tried (a slot; slot 0 replays the capture
 * as it was), the connections and closes counted so far and the TIME_WAIT populations, and per client address the
 * idle connections it could still reuse. Told in time order by {@link IdleWhatIf}; memory: per slot a few numbers
 * and populations, per client address with something in the window its reusable connections and its TIME_WAIT
 * population, and {@link #SAMPLE} idle times.
 */
final class EndpointWhatIf {
    /** Idle times kept for the observed row's median. */
    static final int SAMPLE = 256;
    /** Fixed, so that the same capture gives the same median. */
    private static final long SAMPLE_SEED = 0x1d1e7e5L;

    /**
     * A connection the server closed for idleness, as one slot sees it: a client could have reused it from its
     * real close until {@code expiry} (last activity plus the slot's timeout), when the server closes it instead.
     */
    static final class Pooled {
        final EndpointWhatIf endpoint;
        final Host client;
        final int slot;
        final long seq;
        final long lastNanos;
        final long closeNanos;
        final long expiryNanos;
        /** From the server's FIN to its TIME_WAIT (the client's FIN) in the capture, or UNSET without one. */
        final long delayNanos;
        final boolean closedSeen;
        boolean taken;

        Pooled(EndpointWhatIf endpoint, Host client, int slot, long seq, IdleClose c, long expiryNanos) {
            this.endpoint = endpoint;
            this.client = client;
            this.slot = slot;
            this.seq = seq;
            this.lastNanos = c.lastNanos();
            this.closeNanos = c.closeNanos();
            this.expiryNanos = expiryNanos;
            this.delayNanos = PacketTime.isSet(c.timeWaitStartNanos()) ? c.timeWaitStartNanos() - c.closeNanos()
                : PacketTime.UNSET;
            this.closedSeen = c.closedSeen();
        }
    }

    /**
     * What the capture says of one idle close: the last activity (end of the last HTTP message), the server's
     * FIN, the server's TIME_WAIT as it was, and whether the close completed in the capture.
     */
    record IdleClose(long lastNanos, long closeNanos, long timeWaitStartNanos, long timeWaitEndNanos,
                     boolean closedSeen) {}

    /** One idle timeout's figures; its server TIME_WAIT is a member of {@link #totals}. */
    private static final class Slot {
        long connections;
        long closes;
        final Population moved;
        long clientPeak;

        Slot(Instants instants) {
            moved = new Population(instants);
        }
    }

    /**
     * One client address: per slot, the idle connections it may reuse, and the TIME_WAIT it would hold (a group:
     * its own closes' in every slot, the moved idle closes' per slot), made when first needed.
     */
    private static final class ClientLine {
        final List<Pooled>[] pools;
        PopulationGroup timeWait;

        @SuppressWarnings("unchecked")
        ClientLine(int slots) {
            pools = new List[slots];
        }

        boolean empty() {
            for (List<Pooled> p : pools) if (p != null && !p.isEmpty()) return false;
            return timeWait == null || timeWait.empty();
        }
    }

    final ServerEndpoint key;
    /** Connections of the endpoint open now, and their starts and idle closes waiting: while any, it is kept. */
    int open;
    int queued;
    /** Reusable idle connections held in the client lines' pools, all slots together. */
    private int pooled;
    private final long[] timeouts;
    private final long timeWaitNanos;
    private final Instants instants;
    private final Slot[] slots;
    /** Each slot's server TIME_WAIT: the connections no timeout changes once, in every slot, plus each slot's own. */
    private final PopulationGroup totals;
    /** Closes of connections no timeout changes: the same in every slot. */
    private long keptCloses;
    private final Map<Host, ClientLine> clients = new HashMap<>();
    private long sinceNanos;
    private long idleCloses;
    private long[] idleSample = new long[0];
    private SplittableRandom sampler;

    /**
     * @param timeouts the timeouts of slots 1, 2 ...; slot 0 is the capture's own
     * @param sinceNanos when counting begins
     */
    EndpointWhatIf(ServerEndpoint key, long[] timeouts, long timeWaitNanos, Instants instants, long sinceNanos) {
        this.key = key;
        this.timeouts = timeouts;
        this.timeWaitNanos = timeWaitNanos;
        this.instants = instants;
        this.slots = new Slot[timeouts.length + 1];
        for (int i = 0; i < slots.length; i++) slots[i] = new Slot(instants);
        this.totals = new PopulationGroup(instants, slots.length);
        this.sinceNanos = sinceNanos;
    }

    /** A connection from {@code client} began at {@code nanos}: in each slot it reuses an idle one, or is new. */
    void start(Host client, long nanos) {
        sinceNanos = Math.min(sinceNanos, nanos);
        slots[0].connections++;
        ClientLine line = pooled == 0 ? null : clients.get(client); // no look-up while nothing can be reused
        for (int i = 1; i < slots.length; i++) {
            Pooled reused = line == null ? null : takeReusable(line.pools[i], nanos);
            if (reused == null) slots[i].connections++;
        }
    }

    /**
     * The client's most recently active idle connection that was already closed for real at {@code nanos} (so the
     * client chose a new connection only because it had none) and whose slot timeout has not run out; null if none.
     * Entries past their timeout were expired before this is called.
     */
    private Pooled takeReusable(List<Pooled> pool, long nanos) {
        if (pool == null) return null;
        Pooled best = null;
        for (Pooled p : pool) {
            if (p.closeNanos <= nanos && nanos < p.expiryNanos && (best == null || p.lastNanos > best.lastNanos)) best = p;
        }
        if (best != null) {
            best.taken = true;
            pool.remove(best);
            pooled--;
        }
        return best;
    }

    /**
     * The server closed an idle connection of {@code client}: slot 0 keeps the close as it was; every other slot
     * gets a {@link Pooled} entry, returned for the caller's expiry queue.
     */
    List<Pooled> idleClosed(Host client, IdleClose c, long seq) {
        sampleIdle(c.closeNanos() - c.lastNanos());
        ClientLine line = line(client);
        Slot observed = slots[0];
        if (c.closedSeen()) observed.closes++;
        if (PacketTime.isSet(c.timeWaitStartNanos())) {
            serverTimeWait(0, line, c.timeWaitStartNanos(), c.timeWaitEndNanos());
        }
        List<Pooled> added = new ArrayList<>(timeouts.length);
        for (int i = 1; i < slots.length; i++) {
            Pooled p = new Pooled(this, client, i, seq, c, c.lastNanos() + timeouts[i - 1]);
            if (line.pools[i] == null) line.pools[i] = new ArrayList<>(2);
            line.pools[i].add(p);
            pooled++;
            added.add(p);
        }
        return added;
    }

    /** {@code p} was not reused within its timeout: the server closes it then, and holds TIME_WAIT as it did. */
    void expire(Pooled p) {
        if (p.taken) return;
        ClientLine line = clients.get(p.client);
        if (line != null && line.pools[p.slot] != null && line.pools[p.slot].remove(p)) pooled--;
        if (p.closedSeen) slots[p.slot].closes++;
        if (PacketTime.isSet(p.delayNanos)) {
            long start = p.expiryNanos + p.delayNanos;
            serverTimeWait(p.slot, line(p.client), start, start + timeWaitNanos);
        }
    }

    /** An idle gap inside a connection outlasts slot {@code slot}'s timeout: the server closes at {@code atNanos}. */
    void split(int slot, Host client, long atNanos) {
        slots[slot].connections++;
        slots[slot].closes++;
        serverTimeWait(slot, line(client), atNanos, atNanos + timeWaitNanos);
    }

    /**
     * A connection not closed for idleness: the same in every slot (its close, its TIME_WAIT on either side).
     * Times UNSET where a side held none.
     */
    void kept(Host client, boolean closedSeen, long serverStart, long serverEnd, long clientStart,
              long clientEnd) {
        if (closedSeen) keptCloses++;
        if (PacketTime.isSet(serverStart)) totals.addToAll(serverStart, serverEnd); // also the "left" population
        if (PacketTime.isSet(clientStart)) clientTimeWait(line(client)).addToAll(clientStart, clientEnd);
    }

    /** An idle close's server TIME_WAIT in {@code slot}: it would move to the client if the client closed first. */
    private void serverTimeWait(int slot, ClientLine line, long from, long to) {
        totals.add(slot, from, to);
        slots[slot].moved.add(from, to);
        clientTimeWait(line).add(slot, from, to);
    }

    private PopulationGroup clientTimeWait(ClientLine line) {
        PopulationGroup g = line.timeWait;
        if (g == null) line.timeWait = g = new PopulationGroup(instants, slots.length);
        return g;
    }

    private ClientLine line(Host client) {
        ClientLine line = clients.get(client); // get, then put: no capturing lambda per call
        if (line == null) clients.put(client, line = new ClientLine(slots.length));
        return line;
    }

    /** Sums the instants made final; forgets client addresses with nothing left in the window. */
    void sweep() {
        totals.sweep();
        for (Slot s : slots) s.moved.sweep();
        Iterator<ClientLine> it = clients.values().iterator();
        while (it.hasNext()) {
            ClientLine line = it.next();
            if (line.timeWait != null) {
                line.timeWait.sweep();
                for (int i = 0; i < slots.length; i++) {
                    slots[i].clientPeak = Math.max(slots[i].clientPeak, line.timeWait.peak(i));
                }
            }
            if (line.empty()) it.remove();
        }
    }

    /**
     * Whether the endpoint can be forgotten: it never closed a connection for idleness, holds nothing, and no
     * connection of it is open or waits (forgetting one whose idle close is still to come would lose its start).
     */
    boolean forgettable() {
        if (open > 0 || queued > 0 || idleCloses > 0 || !clients.isEmpty()) return false;
        if (!totals.empty()) return false;
        for (Slot s : slots) if (!s.moved.empty()) return false;
        return true;
    }

    /** Client addresses with something in the window. */
    int clientAddresses() {
        return clients.size();
    }

    boolean closesIdle() {
        return idleCloses > 0;
    }

    /**
     * The rows after the last {@link #sweep}, by timeout (the observed row before a tried timeout of the same value);
     * the mean is over {@code instantCount} instants.
     */
    List<WhatIfRow> rows(long instantCount, int ports) {
        List<WhatIfRow> rows = new ArrayList<>(slots.length);
        String ip = key.ip();
        for (int i = 0; i < slots.length; i++) {
            Slot s = slots[i];
            rows.add(new WhatIfRow(ip, key.port(), i == 0 ? medianIdle() : timeouts[i - 1], i == 0, s.connections,
                s.closes + keptCloses, totals.peak(i), instantCount == 0 ? 0 : (double) totals.sum(i) / instantCount,
                s.moved.peak(), totals.basePeak(), s.clientPeak, ports, sinceNanos));
        }
        rows.sort(Comparator.comparingLong(WhatIfRow::idleTimeoutNanos).thenComparing(w -> !w.observed()));
        return rows;
    }

    /** Reservoir sampling (algorithm R): each idle time is in the sample with chance SAMPLE / n. */
    private void sampleIdle(long nanos) {
        idleCloses++;
        if (idleCloses <= SAMPLE) {
            idleSample = Arrays.copyOf(idleSample, (int) idleCloses);
            idleSample[(int) idleCloses - 1] = nanos;
            return;
        }
        if (sampler == null) sampler = new SplittableRandom(SAMPLE_SEED);
        long slot = sampler.nextLong(idleCloses);
        if (slot < SAMPLE) idleSample[(int) slot] = nanos;
    }

    /** The median idle time before the server's idle closes (the lower middle of an even count). */
    private long medianIdle() {
        long[] sorted = idleSample.clone();
        Arrays.sort(sorted);
        return sorted.length == 0 ? 0 : sorted[(sorted.length - 1) / 2];
    }
}
