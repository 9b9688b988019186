package dev.teardown.timewait;

/**
 * What {@link TimestampClocks} keeps for one (client address, server address) pair: the timestamp clocks its
 * opening SYNs fit, and the per-peer timestamp record Linux's {@code tcp_tw_recycle} kept for it.
 *
 * <p>A clock is a line {@code TSval = rate * t + offset (mod 2^32)} (RFC 7323 section 5.4). Each clock keeps its
 * last point (packet time, TSval) and the set of candidate rates every step so far fitted; a SYN fits a clock when,
 * for one of those rates, its TSval is within {@link #JITTER_SECONDS} plus {@link #DRIFT} of elapsed time plus two
 * ticks of the clock's prediction, with the difference taken as a signed 32-bit number so that a wrap is no jump.
 * A SYN that fits none starts a new clock, up to {@link #MAX_CLOCKS}; past that it is counted as unplaced. Memory:
 * a fixed record, its clock arrays allocated once, at the first SYN with timestamps.
 */
final class PeerClocks {
    /** Clocks kept per pair; more SYNs that fit none of them are counted, not clustered. */
    static final int MAX_CLOCKS = 8;
    /**
     * The tick rates tried, in Hz: 1000 (Linux since 4.13, {@code tcp_clock_ms}; the BSDs, macOS), Linux's older
     * jiffies rates 100, 250 and 300 (CONFIG_HZ; 1000 is above), and 1 MHz (Linux 6.7's {@code tcp_usec_ts}
     * route feature). RFC 7323 section 5.4 allows 1 ms to 1 s per tick; other rates are not recognised.
     */
    static final int[] RATES = {1000, 250, 100, 300, 1_000_000};
    /**
     * How far a SYN's TSval may sit from the clock's line, in seconds of that clock: the TSval is stamped when the
     * SYN is built, the capture time is taken where it is seen, and the path between them varies (queues, the
     * tap's own clock). Two clocks closer than this merge; random 32-bit offsets almost never are.
     */
    static final double JITTER_SECONDS = 0.25;
    /** How much two clocks' rates may differ (the sender's timer against the tap's): 1000 ppm. */
    static final double DRIFT = 0.001;
    private static final int ALL_RATES = (1 << RATES.length) - 1;
    private static final double MIN_RATE = java.util.Arrays.stream(RATES).min().orElseThrow();
    private static final double MAX_RATE = java.util.Arrays.stream(RATES).max().orElseThrow();
    private static final double NANOS = 1e9;

    final int ipVersion;
    final long clientHi;
    final long clientLo;
    final long serverHi;
    final long serverLo;

    long syns;
    long timestampSyns;
    /** First SYNs of connections (not retransmissions) with timestamps: the ones clustered. */
    long connections;
    long unplaced;
    long recycleDrops;
    long firstNanos;
    long lastNanos;

    private int clocks;
    /** Each clock's {@link #line}, and the earliest and latest of their last points' times. */
    private long[] lineOf;
    private long earliestLast;
    private long latestLast;
    private long[] lastNanosOf;
    private int[] lastTsOf;
    private int[] ratesOf;

    /** Whether Linux would hold a per-peer timestamp (tcp_metrics {@code tcpm_ts}) for this pair. */
    boolean recorded;
    /** {@code tcpm_ts}: the latest TSval remembered when a connection of this pair entered TIME_WAIT here. */
    int recordTs;
    /** {@code tcpm_ts_stamp}: when that TSval was received, in whole seconds of packet time. */
    long recordSeconds;

    PeerClocks(int ipVersion, long clientHi, long clientLo, long serverHi, long serverLo) {
        this.ipVersion = ipVersion;
        this.clientHi = clientHi;
        this.clientLo = clientLo;
        this.serverHi = serverHi;
        this.serverLo = serverLo;
    }

    /** Clocks told apart so far (at most {@link #MAX_CLOCKS}). */
    int clocks() {
        return clocks;
    }

    /** Places a connection's first SYN with timestamp {@code ts} sent at {@code nanos} on a clock, or starts one. */
    void place(long nanos, int ts) {
        connections++;
        if (lastNanosOf == null) {
            lastNanosOf = new long[MAX_CLOCKS];
            lastTsOf = new int[MAX_CLOCKS];
            ratesOf = new int[MAX_CLOCKS];
            lineOf = new long[MAX_CLOCKS];
        }
        int best = -1;
        int bestRates = 0;
        double bestScore = Double.MAX_VALUE;
        // A screen before the band test: each clock's middle line is kept as its TSval at time 0 (lineOf), so a SYN
        // far from every line (with random offsets per connection, almost every SYN) costs one subtraction per clock.
        long syn = line(nanos, ts);
        long far = Math.max(nanos - earliestLast, latestLast - nanos); // negative only if it overflowed
        double bound = screenBound(far);
        boolean screen = clocks > 0 && far >= 0 && bound < 1 << 30;
        for (int i = 0; i < clocks; i++) {
            if (screen && beyond(syn, lineOf[i], bound)) continue;
            long step = nanos - lastNanosOf[i];
            int ticks = ts - lastTsOf[i];
            // The band test with a product, not a quotient (a division per clock per SYN): it differs in the last bit
            // at most, far inside the test's margin. The rates are tested on the exact quotient.
            if (outOfReach(ticks, step * SECONDS_PER_NANO)) continue;
            double dt = step / NANOS;
            int fitting = 0;
            double score = Double.MAX_VALUE;
            for (int r = 0; r < RATES.length; r++) {
                if ((ratesOf[i] & 1 << r) == 0) continue;
                double fit = fit(ticks, dt, RATES[r]);
                if (fit <= 1) {
                    fitting |= 1 << r;
                    score = Math.min(score, fit);
                }
            }
            if (fitting != 0 && score < bestScore) {
                best = i;
                bestRates = fitting;
                bestScore = score;
            }
        }
        if (best < 0) {
            if (clocks == MAX_CLOCKS) {
                unplaced++;
                return;
            }
            best = clocks++;
            bestRates = ALL_RATES;
            lastNanosOf[best] = nanos;
            lastTsOf[best] = ts;
        }
        ratesOf[best] = bestRates;
        // Steps are measured from the latest point, so a capture out of time order does not move a clock back.
        if (nanos >= lastNanosOf[best]) {
            lastNanosOf[best] = nanos;
            lastTsOf[best] = ts;
        }
        lineOf[best] = line(lastNanosOf[best], lastTsOf[best]);
        earliestLast = Long.MAX_VALUE;
        latestLast = Long.MIN_VALUE;
        for (int i = 0; i < clocks; i++) {
            earliestLast = Math.min(earliestLast, lastNanosOf[i]);
            latestLast = Math.max(latestLast, lastNanosOf[i]);
        }
    }

    /**
     * Where the band's middle rate puts a clock through TSval {@code ts} at {@code nanos} at time 0, in ticks: two
     * points' lines differ, modulo 2^32, by the step's distance from the middle of the band, give or take
     * {@link #LINE_MARGIN} for the rounding of the products.
     */
    static long line(long nanos, int ts) {
        return ts - (long) (MID_RATE * (nanos * SECONDS_PER_NANO));
    }

    /**
     * The band test's half width for a step of at most {@code farNanos} (either way) from a clock's last point, plus
     * the lines' rounding: a SYN whose line is further than this from a clock's is out of that clock's band.
     */
    static double screenBound(long farNanos) {
        return HALF_PER_SECOND * (farNanos * SECONDS_PER_NANO) + HALF_AT_ZERO + LINE_MARGIN;
    }

    /** Whether lines {@code syn} and {@code clock} are further apart than {@code bound}, as a signed 32-bit difference. */
    static boolean beyond(long syn, long clock, double bound) {
        int off = (int) (syn - clock);
        return (off < 0 ? -(long) off : off) > bound;
    }

    /**
     * Ticks the screen allows for rounding: each line's product is within a fraction of a tick of its exact value
     * below 2^53 ticks (571 years at the band's middle rate), and its truncation within one; the band test's
     * own truncation adds one more.
     */
    private static final double LINE_MARGIN = 8;

    /**
     * How far a step of {@code ticks} (TSval minus the clock's last, signed 32-bit) over {@code dt} seconds lies
     * from a clock at {@code rate} Hz, as a share of the tolerance: at most 1 when it fits.
     */
    static double fit(int ticks, double dt, double rate) {
        // Signed 32-bit difference: a TSval that wrapped past 2^32 is still next to its line.
        long off = Math.abs((long) (ticks - (int) Math.round(rate * dt)));
        double tolerance = 2 + rate * (JITTER_SECONDS + DRIFT * Math.abs(dt));
        return off / tolerance;
    }

    /**
     * Whether a step of {@code ticks} (a signed 32-bit TSval difference) over {@code dt} seconds fits no rate at all:
     * a test of the whole band the rates span, one comparison instead of one per rate. It rejects only what the
     * per-rate test would (with random per-connection offsets, almost every clock for almost every SYN), and
     * decides nothing where the band is too wide to compare in 32 bits.
     */
    static boolean outOfReach(int ticks, double dt) {
        // The band's half width: half the rates' spread over |dt|, plus the widest rate's tolerance (2 ticks, the
        // jitter and the drift over |dt|), plus 2: the rounding of each rate's expectation (half a tick) and of the
        // band's middle (under one), and margin. Folded into two constants, as every clock is tested per SYN.
        double half = HALF_PER_SECOND * (dt < 0 ? -dt : dt) + HALF_AT_ZERO;
        if (!(half < 1 << 30)) return false;
        // Signed 32-bit: a wrap is no jump. Truncated, not rounded (no call): the margin covers the half tick.
        int off = ticks - (int) (long) (MID_RATE * dt);
        return (off < 0 ? -(long) off : off) > half;
    }

    private static final double SECONDS_PER_NANO = 1e-9;

    private static final double HALF_PER_SECOND = (MAX_RATE - MIN_RATE) / 2 + MAX_RATE * DRIFT;
    private static final double HALF_AT_ZERO = 2 + MAX_RATE * JITTER_SECONDS + 2;
    private static final double MID_RATE = (MIN_RATE + MAX_RATE) / 2;

    /**
     * Whether the SYN with {@code ts} ({@code hasTimestamp}) at {@code seconds} would have been dropped: Linux
     * before 4.12, {@code tcp_peer_is_proven(req, dst, true, saw_tstamp)}: a record younger than TCP_PAWS_MSL (60 s,
     * unsigned whole seconds) and a TSval older than it by more than TCP_PAWS_WINDOW (1), or no timestamp at all.
     */
    boolean wouldDrop(long seconds, boolean hasTimestamp, int ts) {
        if (!recorded) return false;
        long age = seconds - recordSeconds;
        return age >= 0 && age < TimestampClocks.PAWS_MSL_SECONDS
            && (!hasTimestamp || recordTs - ts > TimestampClocks.PAWS_WINDOW);
    }

    /**
     * A connection of this pair entered TIME_WAIT on the server at {@code nowSeconds} with {@code ts_recent} =
     * {@code ts} received at {@code tsSeconds}: Linux before 4.12, {@code tcp_remember_stamp}, keeps it when it is
     * not older than the record, or when the record is older than TCP_PAWS_MSL and not newer than it.
     */
    void remember(int ts, long tsSeconds, long nowSeconds) {
        if (!recorded || recordTs - ts <= 0
            || (nowSeconds - recordSeconds > TimestampClocks.PAWS_MSL_SECONDS && recordSeconds <= tsSeconds)) {
            recorded = true;
            recordTs = ts;
            recordSeconds = tsSeconds;
        }
    }

    /** Counts a SYN without ACK from this pair's client at {@code nanos}. */
    void countSyn(long nanos, boolean hasTimestamp) {
        if (syns == 0 || nanos < firstNanos) firstNanos = nanos;
        if (syns == 0 || nanos > lastNanos) lastNanos = nanos;
        syns++;
        if (hasTimestamp) timestampSyns++;
    }

    boolean sameKey(int version, long cHi, long cLo, long sHi, long sLo) {
        return ipVersion == version && clientLo == cLo && serverLo == sLo && clientHi == cHi && serverHi == sHi;
    }
}
