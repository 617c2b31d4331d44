package io.onramp.broker.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServerOptions;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * MQTT 3.1.1 is the only version served (3.1.2.2): a CONNECT of another protocol level gets CONNACK 0x01 and the
 * connection is closed at once, not held until the connect timeout (60 s by default, as here).
 */
class MqttProtocolVersionTest {

    private static final String HOST = "127.0.0.226";
    private static Vertx vertx;
    private static MqttListener listener;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        listener = new MqttListener(new NetServerOptions().setHost(HOST).setPort(0), MqttLimits.DEFAULTS,
                (connect, channel) -> Future.failedFuture(ConnectRefusedException.notAuthorized("only 3.1.1 gets here")));
        vertx.deployVerticle(listener).await(10, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void anMqtt5ConnectIsRefusedWithUnacceptableProtocolVersionAndClosedAtOnce() throws Exception {
        // MQTT 5 (3.1.2.2 of v5): level 5, clean start, keep-alive 60, no properties, client ID "dev-1".
        assertRefusedAtOnce(new byte[] {0, 4, 'M', 'Q', 'T', 'T', 5, 0x02, 0, 60, 0, 0, 5, 'd', 'e', 'v', '-', '1'});
    }

    @Test
    void anMqtt311ShapedConnectThatSaysLevel5IsRefusedAtOnceToo() throws Exception {
        // What a client that only changed the level byte sends: no properties, so not whole as MQTT 5 reads it.
        assertRefusedAtOnce(new byte[] {0, 4, 'M', 'Q', 'T', 'T', 5, (byte) 0xC2, 0, 60, 0, 1, 'a', 0, 1, 'u', 0, 1, 'p'});
    }

    @Test
    void anMqtt31ConnectIsRefusedTheSameWay() throws Exception {
        // MQTT 3.1: protocol name MQIsdp, level 3.
        assertRefusedAtOnce(new byte[] {0, 6, 'M', 'Q', 'I', 's', 'd', 'p', 3, 0x02, 0, 60, 0, 5, 'd', 'e', 'v', '-', '1'});
    }

    @Test
    void anMqtt311ConnectSentByteByBytePassesTheGateWhole() throws Exception {
        byte[] body = {0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 60, 0, 5, 'd', 'e', 'v', '-', '1'};
        try (Socket socket = new Socket(HOST, listener.actualPort())) {
            socket.setSoTimeout(5000);
            socket.setTcpNoDelay(true);
            socket.getOutputStream().write(new byte[] {0x10, (byte) body.length});
            for (byte b : body) {
                Thread.sleep(5);
                socket.getOutputStream().write(b);
            }

            InputStream in = socket.getInputStream();
            assertThat(new int[] {in.read(), in.read(), in.read(), in.read()}).as("the realm's answer: CONNACK 0x05")
                    .containsExactly(0x20, 2, 0, 5);
        }
    }

    private static void assertRefusedAtOnce(byte[] connectBody) throws Exception {
        try (Socket socket = new Socket(HOST, listener.actualPort())) {
            socket.setSoTimeout(5000);
            ByteArrayOutputStream packet = new ByteArrayOutputStream();
            packet.write(0x10);
            packet.write(connectBody.length);
            packet.writeBytes(connectBody);
            long start = System.nanoTime();
            socket.getOutputStream().write(packet.toByteArray());

            InputStream in = socket.getInputStream();
            assertThat(new int[] {in.read(), in.read(), in.read(), in.read()}).as("CONNACK 0x01")
                    .containsExactly(0x20, 2, 0, 1);
            assertThat(in.read()).as("closed by the server").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        }
    }
}
