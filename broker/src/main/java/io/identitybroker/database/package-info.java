/**
 * The broker's own database as a dependency: H2 settings that make a commit durable against a
 * process crash, and the readiness check that the database accepts a write.
 */
package io.identitybroker.database;
