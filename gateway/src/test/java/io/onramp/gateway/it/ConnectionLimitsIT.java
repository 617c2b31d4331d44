package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.support.RawDps;
import io.onramp.gateway.support.TestGateway;
import io.onramp.gateway.support.TestTls;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code connections.perAddress} over the gateway's listeners together: one client address holding its share
 * of silent connections (as a flood does) is refused more, on HTTPS and MQTT alike, while devices elsewhere
 * register, and {@code /metrics} counts the refusals.
 */
class ConnectionLimitsIT {

    static final String GATEWAY = "127.0.0.238";
    static final String HUB = "127.0.0.237";
    static final String FLOODER = "127.0.0.239";
    static final String OWNER = "Q29ubmVjdGlvbkxpbWl0c093bmVyS2V5Rm9yVGVzdHM=";
    static final String GROUP_KEY = "Q29ubmVjdGlvbkxpbWl0c0dyb3VwS2V5Rm9yVGVzdHM=";

    @TempDir
    static Path dataDir;
    static TestGateway gateway;
    final List<Socket> held = new ArrayList<>();

    @BeforeAll
    static void start() {
        gateway = TestGateway.startWithMqtt(GATEWAY, List.of(HUB), dataDir, """
            connections: { perAddress: 3 }
            hubs: [ { name: floor-hub, hostName: %s, ownerKey: %s } ]
            enrollmentGroups:
              - enrollmentGroupId: floor
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
            """.formatted(HUB, OWNER, GROUP_KEY));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @AfterEach
    void closeHeld() throws IOException {
        for (Socket socket : held) {
            socket.close();
        }
    }

    @Test
    void anAddressHoldingItsShareIsRefusedWhileOthersRegister() throws Exception {
        for (int i = 0; i < 3; i++) {
            held.add(TestTls.connectFrom(FLOODER, GATEWAY, gateway.httpsPort()));
        }

        assertThat(tlsHandshakeFrom(FLOODER, GATEWAY, gateway.httpsPort())).as("a fourth HTTPS connection").isFalse();
        assertThat(tlsHandshakeFrom(FLOODER, HUB, TestGateway.MQTTS_PORT)).as("an MQTT one").isFalse();

        RawDps dps = new RawDps(gateway);
        String key = SymmetricKeys.deriveDeviceKey(GROUP_KEY, "lathe-1");
        assertThat(dps.registerAndPoll("lathe-1", RawDps.token("lathe-1", key)).getString("status")).isEqualTo("assigned");
        assertThat(dps.send("GET", "/metrics", null, null).body())
                .contains("onramp_connections_refused_total{reason=\"per_address\"} 2")
                .contains("onramp_connections_refused_total{reason=\"max\"} 0");

        held.remove(0).close();
        boolean admitted = false;
        for (int i = 0; i < 50 && !admitted; i++) {
            admitted = tlsHandshakeFrom(FLOODER, GATEWAY, gateway.httpsPort());
            Thread.sleep(100);
        }
        assertThat(admitted).as("the address again, once one of its connections closed").isTrue();
    }

    /** True if a TLS handshake from {@code source} completes (the connection then held); false if it is closed. */
    private boolean tlsHandshakeFrom(String source, String server, int port) throws IOException {
        try {
            held.add(TestTls.connectFrom(TestTls.trusting(gateway.caFile()), source, server, port));
            return true;
        } catch (IOException closed) {
            return false;
        }
    }
}
