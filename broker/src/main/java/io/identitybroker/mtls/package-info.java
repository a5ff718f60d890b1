/**
 * Client certificates on the wire, X.509 and TLS only: the TLS layer that records any client chain;
 * client certificates from the TLS session or a trusted proxy's header; the trust anchors (each
 * active tenant's issuing CA from Vault, plus {@code broker.agent.mtls.ca-file}); PKIX chain
 * validation for agent certificates and foreign SVIDs; and the identity a certificate's SANs claim
 * ({@link io.identitybroker.mtls.AgentIdentity}). Whether that identity is an agent allowed on a
 * route is decided one layer up, by {@code agent.AgentAuthenticator}; nothing here knows agents.
 */
package io.identitybroker.mtls;
