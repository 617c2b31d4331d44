package io.onramp.gateway.provisioning;

import io.onramp.broker.hub.HubException;
import io.onramp.gateway.error.ErrorCode;

/**
 * Why a hub did not create a device's identity, as the device is told it (a "failed" registration it can
 * retry by registering again) and as the operator reads it (the hub's own answer or the connection error).
 *
 * @param errorCode     400209 when the hub refused the gateway's credentials, 409205 when the device ID is another
 *                      registration's there, else 503001
 * @param publicMessage what the device's registration state says
 * @param reason        what the log and audit say: the hub's status and error, or the connection failure
 */
public record HubFailure(String hubHostName, String deviceId, ErrorCode errorCode, String publicMessage, String reason) {

    public static HubFailure of(String hubHostName, String deviceId, Throwable cause) {
        if (cause instanceof HubException e && (e.status() == 401 || e.status() == 403)) {
            return new HubFailure(hubHostName, deviceId, ErrorCode.HUB_UNAUTHORIZED,
                    "The IoT hub refused the provisioning service's credentials.",
                    "unauthorized (" + e.status() + " " + e.errorCode() + ": " + e.getMessage() + ")");
        }
        if (cause instanceof HubException e && e.status() == 409) {
            // Registering again changes nothing: the operator must give the enrollment another device ID.
            return new HubFailure(hubHostName, deviceId, ErrorCode.DEVICE_RECORD_CONFLICT,
                    "The device ID is in use at the IoT hub by another device.",
                    "conflict (409 " + e.errorCode() + ": " + e.getMessage() + ")");
        }
        String reason = cause instanceof HubException e
                ? e.status() + " " + e.errorCode() + ": " + e.getMessage()
                : cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new HubFailure(hubHostName, deviceId, ErrorCode.UNAVAILABLE,
                "The IoT hub could not register the device; register again later.", reason);
    }
}
