package io.identitybroker.mtls;

import io.identitybroker.testing.FastTest;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Header parsing and proxy address matching, without a server. */
@FastTest
class ProxyCertificateHeaderTest {

    @Test
    void cidrsMatchIpv4AndIpv6() throws Exception {
        CidrRange ten = CidrRange.parse("10.0.0.0/8");
        assertTrue(ten.contains(InetAddress.getByName("10.200.3.4")));
        assertFalse(ten.contains(InetAddress.getByName("11.0.0.1")));
        assertTrue(ten.contains(InetAddress.getByName("::ffff:10.1.2.3")));
        CidrRange host = CidrRange.parse("127.0.0.1");
        assertTrue(host.contains(InetAddress.getByName("127.0.0.1")));
        assertFalse(host.contains(InetAddress.getByName("127.0.0.2")));
        CidrRange v6 = CidrRange.parse("fd00::/8");
        assertTrue(v6.contains(InetAddress.getByName("fd12:3456::1")));
        assertFalse(v6.contains(InetAddress.getByName("10.0.0.1")));
        CidrRange odd = CidrRange.parse("192.168.4.0/22");
        assertTrue(odd.contains(InetAddress.getByName("192.168.7.255")));
        assertFalse(odd.contains(InetAddress.getByName("192.168.8.0")));
        assertThrows(IllegalArgumentException.class, () -> CidrRange.parse("proxy.example.org"));
        assertThrows(IllegalArgumentException.class, () -> CidrRange.parse("10.0.0.0/33"));
    }

    @Test
    void malformedHeadersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ProxyCertificateHeader.xfcc("Cert=\"unbalanced"));
        assertThrows(IllegalArgumentException.class, () -> ProxyCertificateHeader.xfcc("Cert=\"not-pem\""));
        assertThrows(IllegalArgumentException.class, () -> ProxyCertificateHeader.rfc9440("not-a-byte-sequence", null));
        assertThrows(IllegalArgumentException.class, () -> ProxyCertificateHeader.rfc9440(":AAAA:", null));
        assertThrows(IllegalArgumentException.class, () -> ProxyCertificateHeader.parse("x-forwarded-client-cert",
                "Cert=\"" + "A".repeat(ProxyCertificateHeader.MAX_HEADER) + "\"", null));
        assertEquals(0, ProxyCertificateHeader.xfcc("By=spiffe://example.org/proxy;Hash=abc").size());
    }

    @Test
    void percentDecodingKeepsPlus() {
        assertEquals("a+b c\n", ProxyCertificateHeader.percentDecode("a+b%20c%0A"));
    }
}
