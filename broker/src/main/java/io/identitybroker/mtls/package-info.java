/**
 * Agent identity on the wire: strict SPIFFE ID parsing and formatting (the X.509-SVID identity the
 * broker assigns); the TLS layer that records any client chain; the trust anchors (each active
 * tenant's issuing CA from Vault, plus {@code broker.agent.mtls.ca-file}); client certificates from
 * the TLS session or a trusted proxy's header; and {@link io.identitybroker.mtls.AgentAuthenticator},
 * which checks chain, identity, issuer, binding and agent secret on every agent-route request.
 */
package io.identitybroker.mtls;
