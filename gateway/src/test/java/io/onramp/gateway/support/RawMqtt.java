package io.onramp.gateway.support;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.onramp.certs.sas.SasTokenSigner;
import io.onramp.certs.sas.SymmetricKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLSocket;

/**
 * A hand-driven MQTT client for the bad-input tests: every packet and byte is the test's choice.
 * Packets are encoded and decoded with Netty's MQTT codec in an embedded channel, so the test
 * speaks real MQTT over a real TLS socket without any broker-side code.
 */
public final class RawMqtt implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final EmbeddedChannel encoder = new EmbeddedChannel(MqttEncoder.INSTANCE);
    private final EmbeddedChannel decoder = new EmbeddedChannel(new MqttDecoder(1024 * 1024));

    private RawMqtt(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    public static RawMqtt open(TestGateway gateway, String host) throws IOException {
        return open(TestTls.trusting(gateway.caFile()), host);
    }

    public static RawMqtt open(javax.net.ssl.SSLContext tls, String host) throws IOException {
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(host, TestGateway.MQTTS_PORT);
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        return new RawMqtt(socket);
    }

    /** As {@link #open(TestGateway, String)}, from the local address {@code source}. */
    public static RawMqtt openFrom(TestGateway gateway, String source, String host) throws IOException {
        return new RawMqtt(TestTls.connectFrom(TestTls.trusting(gateway.caFile()), source, host,
                TestGateway.MQTTS_PORT));
    }

    public static String deviceToken(String hub, String deviceId, String base64Key, long lifetimeSeconds) {
        return SasTokenSigner.sign(hub + "/devices/" + deviceId, Instant.now().getEpochSecond() + lifetimeSeconds,
                SymmetricKeys.decode(base64Key), null);
    }

    public static String deviceUser(String hub, String deviceId) {
        return hub + "/" + deviceId + "/?api-version=2021-04-12";
    }

    /** Sends CONNECT and answers the CONNACK's return code. */
    public MqttConnectReturnCode connect(String clientId, String userName, String password, int keepAliveSeconds)
            throws IOException {
        MqttMessageBuilders.ConnectBuilder connect = MqttMessageBuilders.connect().clientId(clientId)
                .protocolVersion(MqttVersion.MQTT_3_1_1).cleanSession(false).keepAlive(keepAliveSeconds);
        if (userName != null) {
            connect.hasUser(true).username(userName);
        }
        if (password != null) {
            connect.hasPassword(true).password(password.getBytes(StandardCharsets.UTF_8));
        }
        send(connect.build());
        MqttMessage answer = read();
        if (!(answer instanceof MqttConnAckMessage connAck)) {
            throw new IOException("expected CONNACK, got " + answer);
        }
        return connAck.variableHeader().connectReturnCode();
    }

    /** Sends a CONNECT built by the caller (flags, will) and answers the CONNACK. */
    public MqttConnAckMessage connect(MqttConnectMessage connect) throws IOException {
        send(connect);
        MqttMessage answer = read();
        if (!(answer instanceof MqttConnAckMessage connAck)) {
            throw new IOException("expected CONNACK, got " + answer);
        }
        return connAck;
    }

    public MqttConnectReturnCode connectDevice(String hub, String deviceId, String base64Key) throws IOException {
        return connect(deviceId, deviceUser(hub, deviceId), deviceToken(hub, deviceId, base64Key, 3600), 60);
    }

    /** A device CONNECT with CleanSession = 1: nothing of an earlier session comes back. */
    public MqttConnectReturnCode connectDeviceClean(String hub, String deviceId, String base64Key) throws IOException {
        return connect(MqttMessageBuilders.connect().clientId(deviceId).protocolVersion(MqttVersion.MQTT_3_1_1)
                .cleanSession(true).keepAlive(60).hasUser(true).username(deviceUser(hub, deviceId)).hasPassword(true)
                .password(deviceToken(hub, deviceId, base64Key, 3600).getBytes(StandardCharsets.UTF_8)).build())
                .variableHeader().connectReturnCode();
    }

    /** Subscribes one filter and answers the granted QoS (0x80 for a refusal). */
    public int subscribe(String filter, int packetId) throws IOException {
        send(MqttMessageBuilders.subscribe().messageId(packetId).addSubscription(MqttQoS.AT_LEAST_ONCE, filter).build());
        MqttMessage answer = read();
        if (!(answer instanceof MqttSubAckMessage subAck)) {
            throw new IOException("expected SUBACK, got " + answer);
        }
        return subAck.payload().grantedQoSLevels().get(0);
    }

    public void publish(String topic, MqttQoS qos, byte[] payload, int packetId) throws IOException {
        send(MqttMessageBuilders.publish().topicName(topic).qos(qos).messageId(packetId)
                .payload(Unpooled.wrappedBuffer(payload)).build());
    }

    public void send(MqttMessage message) throws IOException {
        sendAll(List.of(message));
    }

    /** Sends {@code messages} in one write: they reach the server together, as a burst from a device would. */
    public void sendAll(List<? extends MqttMessage> messages) throws IOException {
        java.io.ByteArrayOutputStream burst = new java.io.ByteArrayOutputStream();
        for (MqttMessage message : messages) {
            encoder.writeOutbound(message);
            ByteBuf encoded;
            while ((encoded = encoder.readOutbound()) != null) {
                encoded.readBytes(burst, encoded.readableBytes());
                encoded.release();
            }
        }
        out.write(burst.toByteArray());
        out.flush();
    }

    public void sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** The next packet from the server; fails when the connection closes or nothing comes in time. */
    public MqttMessage read() throws IOException {
        byte[] buffer = new byte[8192];
        while (true) {
            MqttMessage decoded = decoder.readInbound();
            if (decoded != null) {
                return decoded;
            }
            int n = in.read(buffer);
            if (n < 0) {
                throw new IOException("connection closed by the server");
            }
            decoder.writeInbound(Unpooled.copiedBuffer(buffer, 0, n));
        }
    }

    /** True when the server closes the connection within {@code millis} (packets before that are skipped). */
    public boolean closedWithin(long millis) throws IOException {
        socket.setSoTimeout((int) millis);
        long deadline = System.currentTimeMillis() + millis;
        byte[] buffer = new byte[8192];
        try {
            while (System.currentTimeMillis() < deadline) {
                if (in.read(buffer) < 0) {
                    return true;
                }
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by the server
        } finally {
            socket.setSoTimeout(10_000);
        }
    }

    public void setReadTimeout(int millis) throws IOException {
        socket.setSoTimeout(millis);
    }

    public static boolean isPubAck(MqttMessage message, int packetId) {
        return message.fixedHeader().messageType() == MqttMessageType.PUBACK
                && ((io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader) message.variableHeader()).messageId() == packetId;
    }

    @Override
    public void close() throws IOException {
        socket.close();
        encoder.finishAndReleaseAll();
        decoder.finishAndReleaseAll();
    }
}
