package io.onramp.broker.mqtt;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;

/** A CONNECT refused with a CONNACK return code; the message goes to the log, never to the client. */
public final class ConnectRefusedException extends RuntimeException {

    private final MqttConnectReturnCode code;
    private final boolean routine;

    public ConnectRefusedException(MqttConnectReturnCode code, String reason) {
        this(code, reason, false);
    }

    private ConnectRefusedException(MqttConnectReturnCode code, String reason, boolean routine) {
        super(reason, null, false, false);
        this.code = code;
        this.routine = routine;
    }

    public MqttConnectReturnCode code() {
        return code;
    }

    /** Whether the refusal is logged at DEBUG only: the realm has told of it otherwise (a flood's one warning). */
    public boolean routine() {
        return routine;
    }

    /** The same refusal, logged at DEBUG only. */
    public ConnectRefusedException asRoutine() {
        return new ConnectRefusedException(code, getMessage(), true);
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
