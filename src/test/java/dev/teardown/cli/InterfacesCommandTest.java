package dev.teardown.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/** Interface addresses are listed in the same RFC 5952 form the CSV uses. */
class InterfacesCommandTest {
    @Test
    void addressesAreListedInTheShortFormJavaWouldWriteLong() throws UnknownHostException {
        assertEquals("fd00::2", InterfacesCommand.shortForm(InetAddress.getByName("fd00:0:0:0:0:0:0:2")));
        assertEquals("::1", InterfacesCommand.shortForm(InetAddress.getByName("0:0:0:0:0:0:0:1")));
        assertEquals("2001:db8::1:0:0:1", InterfacesCommand.shortForm(InetAddress.getByName("2001:db8:0:0:1:0:0:1")));
        assertEquals("127.0.0.1", InterfacesCommand.shortForm(InetAddress.getByName("127.0.0.1")));
    }

    @Test
    void aScopedAddressKeepsItsScopeAsJavaWritesIt() throws UnknownHostException {
        byte[] linkLocal = InetAddress.getByName("fe80::fc:ff:fe00:1").getAddress();
        Inet6Address scoped = Inet6Address.getByAddress(null, linkLocal, 3);
        assertEquals("fe80:0:0:0:fc:ff:fe00:1%3", scoped.getHostAddress());
        assertEquals("fe80::fc:ff:fe00:1%3", InterfacesCommand.shortForm(scoped));
    }
}
