package io.identitybroker.ibagent;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;

/** The key types the agent can make (all accepted by the broker's CSR policy). */
public enum KeyType {
    EC_P256("ec-p256", "SHA256withECDSA"),
    EC_P384("ec-p384", "SHA384withECDSA"),
    ED25519("ed25519", "Ed25519"),
    RSA_2048("rsa-2048", "SHA256withRSA");

    private final String label;
    private final String signatureAlgorithm;

    KeyType(String label, String signatureAlgorithm) {
        this.label = label;
        this.signatureAlgorithm = signatureAlgorithm;
    }

    public String label() {
        return label;
    }

    public String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    public static KeyType parse(String label) {
        for (KeyType t : values()) {
            if (t.label.equalsIgnoreCase(label)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown key type '" + label + "' (ec-p256, ec-p384, ed25519, rsa-2048)");
    }

    /** The type of an existing key, so that renewals keep the enrolled key type. */
    public static KeyType of(PrivateKey key) {
        return switch (key.getAlgorithm()) {
            case "EC" -> ((ECPrivateKey) key).getParams().getOrder().bitLength() > 256 ? EC_P384 : EC_P256;
            case "Ed25519", "EdDSA" -> ED25519;
            case "RSA" -> RSA_2048;
            default -> throw new IllegalArgumentException("unsupported key algorithm " + key.getAlgorithm());
        };
    }

    /** A fresh key pair; it never leaves this process except as the PKCS#8 file in the state directory. */
    public KeyPair generate() {
        try {
            return switch (this) {
                case EC_P256, EC_P384 -> {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                    g.initialize(new ECGenParameterSpec(this == EC_P256 ? "secp256r1" : "secp384r1"));
                    yield g.generateKeyPair();
                }
                case ED25519 -> KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
                case RSA_2048 -> {
                    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                    g.initialize(2048);
                    yield g.generateKeyPair();
                }
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + label + " key", e);
        }
    }

    @Override
    public String toString() {
        return label;
    }
}
