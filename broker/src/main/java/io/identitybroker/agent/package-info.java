/**
 * Agents and their certificate bindings: the SPIFFE identity, the hash of the agent secret, and
 * which certificate thumbprints ({@code x5t#S256}) currently stand for the agent. Also the agent's
 * life after enrollment: certificate rotation with a grace window (and the job that revokes
 * previous certificates when it ends), secret rotation, and the admin's secret and agent revocation.
 */
package io.identitybroker.agent;
