/**
 * Agents and their certificate bindings: the SPIFFE identity, the hash of the agent secret, and
 * which certificate thumbprints ({@code x5t#S256}) currently stand for the agent.
 */
package io.identitybroker.agent;
