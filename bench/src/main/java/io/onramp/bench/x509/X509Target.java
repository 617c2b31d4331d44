package io.onramp.bench.x509;

/** What a round measures. */
enum X509Target {
    /** The real gateway, BoringSSL engine: handshake, PUT register, polls until assigned. */
    GATEWAY_OPENSSL("gateway-openssl", true),
    /** The same gateway flow on the JDK's TLS engine ({@code tls.engine: jdk}). */
    GATEWAY_JDK("gateway-jdk", true),
    /** {@code openssl s_server -Verify}: the mutual-TLS handshake and one echoed line, nothing else. */
    OPENSSL_S_SERVER("openssl-s_server", false);

    private final String label;
    private final boolean registers;

    X509Target(String label, boolean registers) {
        this.label = label;
        this.registers = registers;
    }

    String label() {
        return label;
    }

    /** True when a device registers; false for bare handshakes. */
    boolean registers() {
        return registers;
    }

    static X509Target fromLabel(String label) {
        for (X509Target target : values()) {
            if (target.label.equals(label)) {
                return target;
            }
        }
        throw new IllegalArgumentException("unknown target " + label);
    }
}
