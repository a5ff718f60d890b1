/**
 * Enrollment over Secure Transport (RFC 7030, with RFC 8951's encoding clarifications) on top of the
 * broker's own enrollment and rotation: per tenant under the RFC's label segment,
 * {@code /.well-known/est/{tenant}/cacerts | simpleenroll | simplereenroll | csrattrs}. This package
 * only translates: every enrollment goes through the JSON exchange's core, every re-enrollment
 * through the rotation's core, and {@link io.identitybroker.est.EstErrors} renders every refusal
 * as RFC 7030 expects (plain text, the status code, {@code Retry-After} on 503).
 */
package io.identitybroker.est;
