/**
 * The broker's HTTP server itself, below routing: connection-level limits such as the time a
 * client has to finish sending its request headers.
 */
package io.identitybroker.http;
