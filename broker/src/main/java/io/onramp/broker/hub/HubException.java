package io.onramp.broker.hub;

/**
 * A hub operation refused: an HTTP-like status, an Azure IoT Hub error code name (e.g.
 * {@code DeviceNotFound}) and a short public message. Protocol heads map it to their wire form.
 */
public final class HubException extends RuntimeException {

    private final int status;
    private final String errorCode;

    public HubException(int status, String errorCode, String message) {
        super(message, null, false, false);
        this.status = status;
        this.errorCode = errorCode;
    }

    public int status() {
        return status;
    }

    public String errorCode() {
        return errorCode;
    }

    public static HubException deviceNotFound(String deviceId) {
        return new HubException(404, "DeviceNotFound", "Device " + deviceId + " is not registered.");
    }
}
