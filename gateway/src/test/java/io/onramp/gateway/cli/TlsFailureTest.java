package io.onramp.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class TlsFailureTest {

    @Test
    void aHandshakeFailureNamesItsReasonTheCaAndTheSetting() {
        // As the JDK reports a certificate that does not name the address, under Vert.x's own wrapping.
        SSLHandshakeException handshake = new SSLHandshakeException("Failed to create SSL connection");
        handshake.initCause(new CertificateException("No subject alternative names matching IP address 127.0.0.33 found"));

        Throwable explained = TlsFailure.explain(new RuntimeException(handshake), "127.0.0.33", 443, Path.of("data/tls/ca.pem"));

        assertThat(explained).isInstanceOf(CommandException.class).hasMessageContainingAll(
                "TLS with the gateway at 127.0.0.33:443 failed: No subject alternative names matching IP address 127.0.0.33",
                "trusts data/tls/ca.pem", "list 127.0.0.33 in tls.hostNames");
    }

    @Test
    void anyOtherFailureIsLeftAsItIs() {
        ConnectException refused = new ConnectException("Connection refused");
        assertThat(TlsFailure.explain(refused, "127.0.0.33", 443, Path.of("ca.pem"))).isSameAs(refused);
    }
}
