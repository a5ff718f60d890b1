package io.identitybroker.oauth;

/**
 * Signs JWTs with a key the broker never holds. The signer owns the JOSE header: it alone knows
 * which key version will sign, so it alone can name it in {@code kid}.
 */
public interface TokenSigner {

    /**
     * Signs a claims set as a compact JWS with header {@code {"alg":"ES256","typ":typ,"kid":...}}.
     *
     * @param typ        the JOSE {@code typ}, e.g. {@code at+jwt}
     * @param claimsJson the UTF-8 JSON claims set
     * @return the compact serialisation {@code header.payload.signature}
     */
    String sign(String typ, byte[] claimsJson);
}
