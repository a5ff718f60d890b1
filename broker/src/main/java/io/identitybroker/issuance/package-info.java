/**
 * Issuance intents: what the broker is about to have Vault sign, recorded durably before it asks,
 * so that a crash between Vault's signature and the commit of the binding never leaves a
 * certificate the broker cannot account for. {@link io.identitybroker.issuance.IssuanceIntents}
 * is called by the sign-and-bind flows at three points (open, signed, close);
 * {@link io.identitybroker.issuance.IssuanceReconciler} settles intents no live request owns.
 */
package io.identitybroker.issuance;
