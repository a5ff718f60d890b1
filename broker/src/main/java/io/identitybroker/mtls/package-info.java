/**
 * Agent identity on the wire: strict SPIFFE ID parsing and formatting (the X.509-SVID identity the
 * broker assigns), and, for agent routes, client-certificate checks.
 */
package io.identitybroker.mtls;
