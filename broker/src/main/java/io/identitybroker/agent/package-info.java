/**
 * Agents and their certificate bindings: the SPIFFE identity, the hash of the agent secret, and
 * which certificate thumbprints ({@code x5t#S256}) currently stand for the agent. Also the agent's
 * life after enrollment: certificate rotation with a grace window (and the job that revokes
 * previous certificates when it ends), secret rotation, and the admin's secret and agent revocation.
 * {@link io.identitybroker.agent.AgentAuthenticator} authenticates every agent-route request (chain,
 * identity, issuer, binding, secret) on top of the X.509 plumbing in {@code mtls};
 * {@link io.identitybroker.agent.TokenAttributes} is the labels/scopes codec that enrollment tokens,
 * agents and external clients share.
 */
package io.identitybroker.agent;
