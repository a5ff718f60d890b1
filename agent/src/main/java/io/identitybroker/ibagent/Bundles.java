package io.identitybroker.ibagent;

import java.io.IOException;

/** Where the trust bundle comes from: the broker's bundle endpoint, else the roots of the SVID's own chain. */
public final class Bundles {
    private Bundles() {
    }

    /**
     * The trust domain's bundle from {@code GET /spiffe/bundles/{td}}; if the broker has no such
     * endpoint (404) the roots that came with the certificate. Other failures propagate.
     */
    public static SpiffeBundle fetchOrChainRoots(BrokerClient client, String trustDomain, Svid svid) throws IOException {
        try {
            return SpiffeBundle.parse(trustDomain, client.bundle(trustDomain));
        } catch (BrokerException e) {
            if (e.status() == 404 && !svid.bundle().isEmpty()) {
                return SpiffeBundle.ofRoots(trustDomain, svid.bundle());
            }
            throw new IOException("trust bundle: " + e.getMessage(), e);
        }
    }
}
