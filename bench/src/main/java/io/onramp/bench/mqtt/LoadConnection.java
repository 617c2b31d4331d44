package io.onramp.bench.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.concurrent.CompletableFuture;

/**
 * One MQTT connection of the load client. Writes from the connection's event loop are batched
 * and go out at the next {@link #flush()} or when the reader has drained the socket.
 */
final class LoadConnection implements MqttFrameReader.Packets {

    /** What a connection does with what the broker sends after CONNACK. Called on its event loop. */
    interface Listener {
        default void publish(LoadConnection connection, int qos, int packetId, int payloadBytes) {}

        default void pubAck(LoadConnection connection, int packetId) {}

        default void subAck(LoadConnection connection, int grantedQos) {}

        default void writable(LoadConnection connection) {}
    }

    private static final ByteBuf DISCONNECT = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(2).writeByte(0xE0).writeByte(0));
    private static final Listener NOTHING = new Listener() {};

    private final Channel channel;
    private final CompletableFuture<LoadConnection> connected = new CompletableFuture<>();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile Listener listener = NOTHING;

    LoadConnection(Channel channel) {
        this.channel = channel;
        channel.closeFuture().addListener(f -> {
            closed.complete(null);
            connected.completeExceptionally(new IllegalStateException("connection closed before CONNACK"));
        });
    }

    /** Completes once CONNACK 0 arrived; fails with the refusal, the I/O error or an early close. */
    CompletableFuture<LoadConnection> connected() {
        return connected;
    }

    void failed(Throwable cause) {
        connected.completeExceptionally(cause);
        channel.close();
    }

    void listen(Listener listener) {
        this.listener = listener;
    }

    EventLoop eventLoop() {
        return channel.eventLoop();
    }

    boolean isWritable() {
        return channel.isWritable();
    }

    boolean isActive() {
        return channel.isActive();
    }

    void subscribe(String filter, MqttQoS qos) {
        channel.writeAndFlush(MqttMessageBuilders.subscribe().messageId(1).addSubscription(qos, filter).build());
    }

    /** Queues a PUBLISH made from the template; it goes out with the next flush. */
    void publish(PublishTemplate template, int packetId) {
        write(template.encode(channel.alloc(), packetId));
    }

    private void write(ByteBuf packet) {
        channel.write(packet, channel.voidPromise());
    }

    void flush() {
        channel.flush();
    }

    /** PUBACK for a QoS 1 message received. */
    void acknowledge(int packetId) {
        write(channel.alloc().directBuffer(4).writeByte(0x40).writeByte(2).writeShort(packetId));
    }

    /** DISCONNECT, then close, as a device leaving cleanly does; completes when the socket is closed. */
    CompletableFuture<Void> disconnect() {
        if (channel.isActive()) {
            channel.writeAndFlush(DISCONNECT.duplicate()).addListener(f -> channel.close());
        }
        return closed;
    }

    /** Closes at once, without DISCONNECT. */
    CompletableFuture<Void> close() {
        channel.close();
        return closed;
    }

    @Override
    public void connAck(int returnCode) {
        if (returnCode == 0) {
            connected.complete(this);
        } else {
            failed(new IllegalStateException("CONNACK return code " + returnCode));
        }
    }

    @Override
    public void publish(int qos, int packetId, int payloadBytes) {
        listener.publish(this, qos, packetId, payloadBytes);
    }

    @Override
    public void pubAck(int packetId) {
        listener.pubAck(this, packetId);
    }

    @Override
    public void subAck(int grantedQos) {
        listener.subAck(this, grantedQos);
    }

    void writabilityChanged() {
        if (channel.isWritable()) {
            listener.writable(this);
        }
    }
}
