package io.onramp.broker.mqtt;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;

/** A session that takes every CONNECT's traffic and does nothing with it: for listener tests. */
final class SilentSession implements MqttSession {
    @Override
    public int subscribe(String filter, MqttQoS requested) {
        return 0x80;
    }

    @Override
    public void unsubscribe(String filter) {
    }

    @Override
    public Future<Void> publish(String topic, MqttQoS qos, boolean retain, ByteBuf payload) {
        return Future.succeededFuture();
    }

    @Override
    public void closed(boolean disconnected) {
    }
}
