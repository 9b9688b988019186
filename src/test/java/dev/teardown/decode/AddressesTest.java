package dev.teardown.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressesTest {

    /** Input as written anywhere, then its RFC 5952 canonical form. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "2001:db8::1,                        2001:db8::1",
        "2001:0DB8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
        "::1,                                ::1",
        "::,                                 ::",
        "0:0:0:0:0:0:0:0,                    ::",
        "1::,                                1::",
        // Section 4.2.3: the longest run is compressed; on a tie, the first.
        "2001:db8:0:0:1:0:0:1,               2001:db8::1:0:0:1",
        "2001:0:0:1:0:0:0:1,                 2001:0:0:1::1",
        "2001:db8:0:0:0:1:0:0,               2001:db8::1:0:0",
        // Section 4.2.2: a single zero group is never "::".
        "2001:db8:0:1:1:1:1:1,               2001:db8:0:1:1:1:1:1",
        "2001:db8::abcd:0:1,                 2001:db8::abcd:0:1",
        "fe80:0:0:0:200:5eff:fe00:5301,      fe80::200:5eff:fe00:5301",
        "ff02::2,                            ff02::2",
        "0:0:1:0:0:0:0:0,                    0:0:1::",
        // Section 5: IPv4-mapped addresses in the mixed notation.
        "::ffff:192.0.2.1,                   ::ffff:192.0.2.1",
        "::ffff:c000:201,                    ::ffff:192.0.2.1",
        "0:0:0:0:0:ffff:0.0.0.0,             ::ffff:0.0.0.0",
        // IPv4-compatible and NAT64 addresses are not mapped, so plain hex.
        "::192.0.2.1,                        ::c000:201",
        "64:ff9b::192.0.2.33,                64:ff9b::c000:221",
    })
    void formatsIpv6Canonically(String input, String canonical) {
        long[] address = TestAddresses.parse(6, input);
        assertEquals(canonical, Addresses.format(6, address[0], address[1]));
        byte[] bytes = ByteBuffer.allocate(16).putLong(address[0]).putLong(address[1]).array();
        assertEquals(canonical, Addresses.format(bytes));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "192.0.2.1", "255.255.255.255", "10.20.30.40"})
    void formatsIpv4Dotted(String text) throws Exception {
        assertEquals(text, Addresses.format(4, 0, TestAddresses.parse(4, text)[1]));
        assertEquals(text, Addresses.format(InetAddress.getByName(text).getAddress()));
    }

    @Test
    void ipv4UsesOnlyTheLowThirtyTwoBits() {
        assertEquals("192.0.2.1", Addresses.format(4, 0, 0xffff_ffff_c000_0201L));
    }

    @Test
    void formatAgreesWithTheJdkOnRandomAddresses() throws Exception {
        Random random = new Random(5952);
        for (int i = 0; i < 10_000; i++) {
            long hiMask = random.nextBoolean() ? 0xffff0000ffff0000L : -1L;
            long hi = random.nextInt(4) == 0 ? 0 : random.nextLong() & hiMask;
            long lo = random.nextLong() & (random.nextBoolean() ? 0x0000ffff0000ffffL : -1L);
            String text = Addresses.format(6, hi, lo);
            byte[] expected = ByteBuffer.allocate(16).putLong(hi).putLong(lo).array();
            assertEquals(text, Addresses.format(expected));
            byte[] jdk = InetAddress.getByName(text).getAddress();
            if (jdk.length == 4) { // the JDK turns IPv4-mapped addresses into IPv4
                assertTrue(text.startsWith("::ffff:"), text);
                jdk = ByteBuffer.allocate(16).putLong(0).putInt(0xffff).put(jdk).array();
            }
            assertArrayEquals(expected, jdk, text);
            assertTrue(!text.contains(":0:0:") || text.contains("::"), "uncompressed zero run in " + text);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, 5, 15, 17})
    void bytesOfNoAddressLengthAreRefused(int length) {
        assertThrows(IllegalArgumentException.class, () -> Addresses.format(new byte[length]));
    }

    @Test
    void refusesOtherIpVersions() {
        assertThrows(IllegalArgumentException.class, () -> Addresses.format(5, 0, 0));
    }
}
