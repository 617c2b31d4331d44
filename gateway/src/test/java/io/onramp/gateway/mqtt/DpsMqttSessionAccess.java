package io.onramp.gateway.mqtt;

/** Lets the integration tests (another package) name the DPS answer floor. */
public final class DpsMqttSessionAccess {
    private DpsMqttSessionAccess() {}

    public static final long MIN_ANSWER_MILLIS = DpsMqttSession.MIN_ANSWER_MILLIS;
}
