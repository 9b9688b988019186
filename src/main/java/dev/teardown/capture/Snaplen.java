package dev.teardown.capture;

/** Snapshot lengths: how many bytes of each packet a capture keeps. */
public final class Snaplen {
    private Snaplen() {}

    /**
     * libpcap's MAXIMUM_SNAPLEN: whole packets, and tcpdump's default. libpcap replaces a larger request by it, and
     * a capture file's captured lengths up to it are always believed.
     */
    public static final int MAXIMUM = 262_144;
}
