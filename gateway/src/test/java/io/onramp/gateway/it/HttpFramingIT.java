package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.onramp.gateway.support.CapturedLog;
import io.onramp.gateway.support.RawDps;
import io.onramp.gateway.support.RawHttps;
import io.onramp.gateway.support.RawHttps.Answer;
import io.onramp.gateway.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests broken below the APIs, in their HTTP framing, over real TLS: each is answered with its status and the error
 * body of the API its path aims at (DPS's, or IoT Hub's for a hub path), or, when nothing can be answered, the
 * connection closed; none is logged as the gateway's fault, and good devices register throughout.
 */
class HttpFramingIT {

    private static final String DEVICE_KEY = "S2V5Rm9yVGVzdFZlY3RvcnNPbmx5MDAwMDAwMDAwMDA=";

    @TempDir
    static Path dataDir;
    static TestGateway gateway;
    private CapturedLog log;

    @BeforeAll
    static void startGateway() {
        gateway = TestGateway.start("127.0.0.76", dataDir, """
            hubs: [ { name: line-a, hostName: 127.0.0.2, ownerKey: SHViQU93bmVyS2V5Rm9yVGVzdHNPbmx5MDAwMDAwMDA= } ]
            individualEnrollments:
              - registrationId: press-7
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
            """.formatted(DEVICE_KEY));
    }

    @AfterAll
    static void stopGateway() {
        gateway.close();
    }

    @BeforeEach
    void captureLog() {
        log = CapturedLog.all();
    }

    @AfterEach
    void noFaultLoggedAndGoodDevicesServed() throws Exception {
        try {
            assertThat(new RawDps(gateway).registerAndPoll("press-7", RawDps.token("press-7", DEVICE_KEY))
                    .getString("status")).isEqualTo("assigned");
            assertThat(log.lines()).filteredOn(line -> line.getLevel().isGreaterOrEqual(Level.WARN))
                    .extracting(ILoggingEvent::getFormattedMessage).isEmpty();
        } finally {
            log.close();
        }
    }

    @Test
    void aRequestLineOverTheLimitIs414() throws Exception {
        Answer answer = exchange("GET /" + "x".repeat(5000) + " HTTP/1.1\r\nHost: h\r\n\r\n");
        assertDpsError(answer, 414, 414001);
        assertThat(answer.closed()).isTrue();
    }

    @Test
    void headersOverTheLimitAre431InTheErrorBodyOfTheApiTheyAimAt() throws Exception {
        String big = "X-Big: " + "y".repeat(9000) + "\r\n";
        assertDpsError(exchange("GET /enrollments/x?api-version=2021-10-01 HTTP/1.1\r\nHost: h\r\n" + big + "\r\n"),
                431, 431001);
        Answer hub = exchange("GET /devices/x?api-version=2021-04-12 HTTP/1.1\r\nHost: h\r\n" + big + "\r\n");
        assertHubError(hub, 431, "RequestHeaderFieldsTooLarge");
        assertThat(hub.closed()).isTrue();
    }

    @Test
    void aLineThatIsNoHttpIs400() throws Exception {
        assertDpsError(exchange("HELLO THERE\r\n\r\n"), 400, 400004);
    }

    @Test
    void aQueryWhoseEscapesDoNotDecodeIs400AndTheConnectionServesOn() throws Exception {
        Answer service = exchange("GET /enrollments/x?api-version=2021-10-01&%zz HTTP/1.1\r\nHost: h\r\n\r\n");
        assertDpsError(service, 400, 400004);
        assertThat(service.body()).contains("query string");
        assertThat(service.closed()).isFalse();
        assertHubError(exchange("GET /devices/x?%zz HTTP/1.1\r\nHost: h\r\n\r\n"), 400, "ArgumentInvalid");
    }

    @Test
    void aPathWhoseEscapesDoNotDecodeIs400() throws Exception {
        Answer device = exchange("PUT /%zz/registrations/x/register?api-version=2019-03-31 HTTP/1.1\r\nHost: h\r\n"
                + "Content-Length: 2\r\n\r\n{}");
        assertDpsError(device, 400, 400004);
        assertThat(device.body()).contains("path");
        assertDpsError(exchange("GET /enrollments/%zz?api-version=2021-10-01 HTTP/1.1\r\nHost: h\r\n\r\n"), 400, 400004);
        assertHubError(exchange("GET /devices/%zz HTTP/1.1\r\nHost: h\r\n\r\n"), 400, "ArgumentInvalid");
    }

    @Test
    void aBrokenChunkClosesTheConnection() throws Exception {
        Answer answer = exchange("PUT /enrollments/x?api-version=2021-10-01 HTTP/1.1\r\nHost: h\r\n"
                + "Transfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nzz\r\n{}\r\n");
        assertThat(answer.closed()).isTrue();
        assertThat(answer.head()).isEmpty();
    }

    @Test
    void aClientGoneBeforeItsBodyIsNoFault() throws Exception {
        for (String path : new String[] {"/devices/x?api-version=2021-04-12", "/enrollments/x?api-version=2021-10-01"}) {
            try (SSLSocket socket = connect()) {
                socket.getOutputStream().write(("PUT " + path + " HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n"
                        + "Content-Type: application/json\r\n\r\n{\"a\":").getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                Thread.sleep(200);
            }
        }
        Thread.sleep(500); // for the gateway to see both connections close
    }

    @Test
    void aWebSocketFrameWithAReservedOpcodeIsAProtocolErrorOverMqttAndAmqp() throws Exception {
        for (String[] upgrade : new String[][] {{"/mqtt", "mqtt"}, {"/$iothub/websocket", "AMQPWSB10"}}) {
            try (SSLSocket socket = connect()) {
                socket.getOutputStream().write(("GET " + upgrade[0] + " HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: " + upgrade[1] + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                InputStream in = socket.getInputStream();
                assertThat(readHead(in)).startsWith("HTTP/1.1 101");
                // FIN and opcode 3 (reserved for data frames), masked, one byte of payload.
                socket.getOutputStream().write(new byte[] {(byte) 0x83, (byte) 0x81, 1, 2, 3, 4, 'x' ^ 1});
                assertThat(in.read()).as(upgrade[0] + ": a close frame").isEqualTo(0x88);
                byte[] close = in.readNBytes(in.read());
                assertThat(((close[0] & 0xFF) << 8) | (close[1] & 0xFF)).as("its status").isEqualTo(1002);
                assertThat(in.read()).as("then the connection is closed").isEqualTo(-1);
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.indexOf("\r\n\r\n") < 0) {
            int next = in.read();
            if (next < 0) {
                break;
            }
            head.append((char) next);
        }
        return head.toString();
    }

    private static SSLSocket connect() throws IOException {
        return RawHttps.connect(gateway);
    }

    private static Answer exchange(String request) throws IOException {
        return RawHttps.exchange(gateway, request);
    }

    private static void assertDpsError(Answer answer, int status, int errorCode) {
        assertThat(answer.status()).as(answer.head() + "\n" + answer.body()).isEqualTo(status);
        assertThat(answer.header("content-type")).startsWith("application/json");
        JsonObject error = new JsonObject(answer.body());
        assertThat(error.getInteger("errorCode")).isEqualTo(errorCode);
        assertThat(error.getString("trackingId")).isNotBlank();
        assertThat(error.getString("message")).isNotBlank();
    }

    private static void assertHubError(Answer answer, int status, String errorCode) {
        assertThat(answer.status()).as(answer.head() + "\n" + answer.body()).isEqualTo(status);
        assertThat(answer.header("iothub-errorcode")).isEqualTo(errorCode);
        assertThat(new JsonObject(answer.body()).getString("Message")).startsWith("ErrorCode:" + errorCode + ";");
    }
}
