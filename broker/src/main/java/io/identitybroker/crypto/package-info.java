/**
 * Signature verification for request paths: BoringSSL through Conscrypt, never the JDK 17 SunEC
 * provider (1.5 to 7 ms per P-256 verification there against about 0.1 to 0.2 ms). Depends on
 * nothing else in the broker, so every capability may use it.
 */
package io.identitybroker.crypto;
