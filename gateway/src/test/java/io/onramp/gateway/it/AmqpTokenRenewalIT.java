package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.sdk.iot.device.ClientOptions;
import com.microsoft.azure.sdk.iot.device.DeviceClient;
import com.microsoft.azure.sdk.iot.device.IotHubClientProtocol;
import com.microsoft.azure.sdk.iot.device.transport.IotHubConnectionStatus;
import com.microsoft.azure.sdk.iot.device.Message;
import io.onramp.certs.sas.SasTokenSigner;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.support.RawAmqp;
import io.onramp.gateway.support.RawHub;
import io.onramp.gateway.support.TelemetryConsumer;
import io.onramp.gateway.support.TestGateway;
import io.onramp.gateway.support.TestTls;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.amqp.messaging.AmqpValue;
import org.apache.qpid.proton.amqp.messaging.ApplicationProperties;
import org.apache.qpid.proton.amqp.messaging.Properties;
import org.apache.qpid.proton.amqp.transport.ErrorCondition;
import org.apache.qpid.proton.engine.EndpointState;
import org.apache.qpid.proton.engine.Receiver;
import org.apache.qpid.proton.engine.Sender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SAS tokens that run out while a device is connected over AMQP (hub-device-protocol.md 2.5), with the allowed clock
 * skew cut to 2 s so that it happens within a test: the Java SDK, whose tokens here last 8 s, renews them with CBS
 * put-tokens on its open connection and stays connected; a client that puts no new token has its links detached, and
 * may attach new ones only after a new put-token.
 */
class AmqpTokenRenewalIT {

    static final String ADDRESS = "127.0.0.196";
    static final String HUB = "127.0.0.197";
    static final String OWNER = "QW1xcFRva2VuUmVuZXdhbE93bmVyS2V5Rm9yVGVzdHM=";
    static final String KEY = "QW1xcFRva2VuUmVuZXdhbERldmljZUtleUZvclRlc3Q=";

    @TempDir
    static Path dataDir;
    static TestGateway gateway;

    @BeforeAll
    static void startGateway() throws Exception {
        System.setProperty("onramp.clockSkewSeconds", "2");
        gateway = TestGateway.startOnStandardPorts(ADDRESS, List.of(HUB), dataDir, """
            hubs:
              - { name: line-t, hostName: %s, ownerKey: %s }
            """.formatted(HUB, OWNER));
        RawHub hub = new RawHub(HUB + ":" + gateway.httpsPort(), gateway.caFile());
        for (String device : List.of("renewing", "lapsing")) {
            hub.createSasDevice(RawHub.token(HUB, OWNER, RawHub.OWNER), device, KEY);
        }
    }

    @AfterAll
    static void stopGateway() {
        System.clearProperty("onramp.clockSkewSeconds");
        gateway.close();
    }

    @Test
    void theJavaSdkRenewsItsTokenOnItsOpenConnectionAndStaysConnected() throws Exception {
        List<IotHubConnectionStatus> statuses = new CopyOnWriteArrayList<>();
        DeviceClient client = new DeviceClient("HostName=" + HUB + ";DeviceId=renewing;SharedAccessKey=" + KEY,
                IotHubClientProtocol.AMQPS, ClientOptions.builder().sslContext(TestTls.trusting(gateway.caFile()))
                        .sasTokenExpiryTime(8).build());
        client.setConnectionStatusChangeCallback(context -> statuses.add(context.getNewStatus()), null);
        try (TelemetryConsumer consumer = TelemetryConsumer.subscribe(gateway, HUB, OWNER, "devices/renewing/#")) {
            client.open(true);
            // 24 s: three token lifetimes, each one more than the token and the skew would allow without renewal.
            int count = 48;
            for (int i = 0; i < count; i++) {
                client.sendEvent(new Message("{\"i\":" + i + "}"));
                Thread.sleep(500);
            }
            Set<String> received = new HashSet<>();
            for (int i = 0; i < count; i++) {
                TelemetryConsumer.Received message = consumer.messages().poll(10, TimeUnit.SECONDS);
                assertThat(message).as("message " + i).isNotNull();
                received.add(message.body());
            }
            assertThat(received).hasSize(count);
            assertThat(statuses).as("never dropped to reconnect").doesNotContain(IotHubConnectionStatus.DISCONNECTED_RETRYING,
                    IotHubConnectionStatus.DISCONNECTED);
        } finally {
            client.close();
        }
    }

    @Test
    void linksWhoseTokenRanOutAreDetachedUntilANewTokenIsPut() throws Exception {
        try (RawAmqp amqp = RawAmqp.connect(gateway, TestTls.trusting(gateway.caFile()), null, null)) {
            assertThat(amqp.opened()).isTrue();
            Sender cbs = amqp.sender("$cbs");
            Receiver answers = amqp.receiver("$cbs");
            assertThat(putToken(amqp, cbs, answers, Instant.now().plusSeconds(2))).isEqualTo(200);
            Sender telemetry = amqp.sender("/devices/lapsing/messages/events");
            assertThat(telemetry.getRemoteState()).as("attached while the token holds").isEqualTo(EndpointState.ACTIVE);
            assertThat(telemetry.getRemoteTarget()).isNotNull();

            // 2 s of token and 2 of skew, then the hub's sweep (every 5 s) detaches the device's links.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            ErrorCondition detached = null;
            while (detached == null && System.nanoTime() < deadline) {
                detached = amqp.detachedWith(telemetry);
            }
            assertThat(detached).as("detached once the token ran out").isNotNull();
            assertThat(detached.getCondition().toString()).isEqualTo("amqp:link:detach-forced");

            ErrorCondition refused = amqp.detachedWith(amqp.sender("/devices/lapsing/messages/events"));
            assertThat(refused.getCondition().toString()).as("no link without a new token").isEqualTo("amqp:unauthorized-access");
            assertThat(putToken(amqp, cbs, answers, Instant.now().plusSeconds(3600))).isEqualTo(200);
            Sender again = amqp.sender("/devices/lapsing/messages/events");
            assertThat(again.getRemoteState()).as("attached again").isEqualTo(EndpointState.ACTIVE);
            assertThat(again.getRemoteTarget()).isNotNull();
        }
    }

    private static int putToken(RawAmqp amqp, Sender cbs, Receiver answers, Instant expiry) throws Exception {
        org.apache.qpid.proton.message.Message request = Proton.message();
        Properties properties = new Properties();
        properties.setMessageId(UUID.randomUUID());
        properties.setTo("$cbs");
        properties.setReplyTo("cbs");
        request.setProperties(properties);
        request.setApplicationProperties(new ApplicationProperties(Map.of("operation", "put-token",
                "type", "servicebus.windows.net:sastoken", "name", HUB + "/devices/lapsing")));
        request.setBody(new AmqpValue(SasTokenSigner.sign(HUB + "/devices/lapsing", expiry.getEpochSecond(),
                SymmetricKeys.decode(KEY), null)));
        amqp.send(cbs, request);
        return (Integer) amqp.receive(answers).getApplicationProperties().getValue().get("status-code");
    }
}
