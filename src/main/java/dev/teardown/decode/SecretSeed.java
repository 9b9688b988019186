package dev.teardown.decode;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;

/**
 * Secret keys for the hashes that spread or store connections (the flow tables' {@code HashKey}, the workers'
 * {@link FlowHash}): 64 bits nobody sending packets can know, so nobody can choose tuples that collide.
 *
 * <p>They come from the kernel's random source, {@code /dev/urandom}, read directly: {@link SecureRandom}'s
 * default source on Linux is that same device, but making the first one sets up the security providers, about
 * 27 ms of every run's start-up (timed around the one call in a fresh JVM; a run on a small capture takes about 200 ms),
 * where eight bytes of the device take well under a millisecond. Where the device cannot be read (another system, a
 * sandbox), {@link SecureRandom} is used as before.
 */
public final class SecretSeed {
    private static final String DEVICE = "/dev/urandom";

    private SecretSeed() {}

    /** A fresh secret key. */
    public static long next() {
        try (InputStream in = new FileInputStream(DEVICE)) {
            long key = fromBytes(in.readNBytes(Long.BYTES));
            if (key != NONE) return key;
        } catch (IOException | SecurityException e) {
            // No device here: the JDK's source below.
        }
        return new SecureRandom().nextLong();
    }

    /** What {@link #fromBytes} makes of a short read. */
    static final long NONE = 0;

    /**
     * The key in {@code bytes} (big-endian), or {@link #NONE} unless there are eight: an all-zero key, one chance in
     * 2^64, is drawn again from the JDK's source, which costs only time.
     */
    static long fromBytes(byte[] bytes) {
        if (bytes.length != Long.BYTES) return NONE;
        long key = 0;
        for (byte b : bytes) key = key << 8 | (b & 0xff);
        return key;
    }
}
