package dev.teardown.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Interface addresses are listed in the same RFC 5952 form the CSV uses. */
class InterfacesCommandTest {
    @Test
    void javaLongFormIpv6BecomesTheShortFormKeepingItsScope() {
        assertEquals("fd00::2", InterfacesCommand.shortForm("fd00:0:0:0:0:0:0:2"));
        assertEquals("fe80::fc:ff:fe00:1%eth0", InterfacesCommand.shortForm("fe80:0:0:0:fc:ff:fe00:1%eth0"));
        assertEquals("::1", InterfacesCommand.shortForm("0:0:0:0:0:0:0:1"));
        assertEquals("127.0.0.1", InterfacesCommand.shortForm("127.0.0.1"));
        assertEquals("not-an-address", InterfacesCommand.shortForm("not-an-address"));
    }
}
