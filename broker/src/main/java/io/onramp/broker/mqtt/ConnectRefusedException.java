package io.onramp.broker.mqtt;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;

/** A CONNECT refused with a CONNACK return code; the message goes to the log, never to the client. */
public final class ConnectRefusedException extends RuntimeException {

    private final MqttConnectReturnCode code;

    public ConnectRefusedException(MqttConnectReturnCode code, String reason) {
        super(reason, null, false, false);
        this.code = code;
    }

    public MqttConnectReturnCode code() {
        return code;
    }

    public static ConnectRefusedException notAuthorized(String reason) {
        return new ConnectRefusedException(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED, reason);
    }

    /** Not the client's fault, or not for long: it may connect again later. */
    public static ConnectRefusedException serverUnavailable(String reason) {
        return new ConnectRefusedException(MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE, reason);
    }

    public static ConnectRefusedException badUserNameOrPassword(String reason) {
        return new ConnectRefusedException(MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD, reason);
    }
}
