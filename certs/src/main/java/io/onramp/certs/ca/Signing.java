package io.onramp.certs.ca;

import java.security.Key;

/** Which signature algorithm goes with a key. */
final class Signing {

    private Signing() {
    }

    static String algorithmFor(Key key) {
        switch (key.getAlgorithm()) {
            case "EC":
            case "ECDSA":
                return "SHA256withECDSA";
            case "RSA":
                return "SHA256withRSA";
            default:
                throw new IllegalArgumentException("unsupported key algorithm " + key.getAlgorithm());
        }
    }
}
