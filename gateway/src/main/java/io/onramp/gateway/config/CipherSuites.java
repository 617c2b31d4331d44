package io.onramp.gateway.config;

import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;

/** {@code tls.cipherSuites}: IANA names (as Java spells them) this JVM knows; left out, the defaults. */
final class CipherSuites {

    private CipherSuites() {
    }

    static List<String> check(ConfigNode tls) {
        List<String> suites = new ArrayList<>();
        if (!tls.has("cipherSuites")) {
            return suites;
        }
        Set<String> known = known();
        boolean unknown = false;
        for (ConfigNode item : tls.list("cipherSuites")) {
            String name = item.asText();
            if (name == null) {
                continue;
            }
            if (!known.contains(name)) {
                unknown = true;
                item.problem("unknown cipher suite '" + name + "': give IANA names such as "
                        + "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 (README: \"Configuration\")");
            } else {
                suites.add(name);
            }
        }
        if (suites.isEmpty() && !unknown) {
            tls.field("cipherSuites").problem("must name at least one cipher suite, or be left out for the defaults");
        }
        return suites;
    }

    private static Set<String> known() {
        try {
            return Set.of(SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no default TLS context", e);
        }
    }
}
