/**
 * HTTP conventions shared by every capability: RFC 9457 problem responses with stable types,
 * the correlation id carried by every request, response and audit event, and JSON input limits.
 */
package io.identitybroker.api;
