package io.onramp.gateway.error;

import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * The one error family of the gateway: an HTTP-like status, an Azure-style six-digit error code
 * (status x 1000 + detail) and a short public message. The internal cause goes to the log only, so a
 * client never learns whether the registration ID, the key or the token was wrong.
 */
public final class ProvisioningException extends RuntimeException {

    private final int status;
    private final int errorCode;
    private final String publicMessage;
    private final String tpmAuthenticationKey;
    /** A refusal every client meets or one already told of in another line: logged at DEBUG, not one line each. */
    private final boolean routine;

    public ProvisioningException(ErrorCode code, String publicMessage, String internalDetail) {
        this(code, publicMessage, internalDetail, null, false);
    }

    private ProvisioningException(ErrorCode code, String publicMessage, String internalDetail,
            String tpmAuthenticationKey, boolean routine) {
        super(internalDetail == null ? publicMessage : internalDetail, null, false, false);
        this.status = code.status();
        this.errorCode = code.code();
        this.publicMessage = publicMessage;
        this.tpmAuthenticationKey = tpmAuthenticationKey;
        this.routine = routine;
    }

    public ProvisioningException(ErrorCode code, String publicMessage) {
        this(code, publicMessage, null);
    }

    public int status() {
        return status;
    }

    public int errorCode() {
        return errorCode;
    }

    public String publicMessage() {
        return publicMessage;
    }

    /**
     * The base64 {@code authenticationKey} blob of a TPM challenge (dps-device-protocol 6.6), or null for every
     * other refusal. A challenge is a 401 whose body carries the blob instead of an error.
     */
    public String tpmAuthenticationKey() {
        return tpmAuthenticationKey;
    }

    /**
     * Logs the refusal of {@code what} (a request line, a registration) with its code and tracking ID, as loud as it
     * deserves: ERROR with the cause for the server's own failures, DEBUG for the routine ones, INFO for the rest.
     * The one rule of every protocol head.
     */
    public static void log(Logger log, String what, ProvisioningException error, String trackingId, Throwable cause) {
        Level level = error.status >= 500 ? Level.ERROR : refusalLevel(error);
        log.atLevel(level).setCause(level == Level.ERROR ? cause : null)
                .log("{} -> {} {} [{}]", what, error.errorCode, error.getMessage(), trackingId);
    }

    /** How loud a refusal for {@code failure} (null: none from the core) is logged: DEBUG when routine, else INFO. */
    public static Level refusalLevel(Throwable failure) {
        return routine(failure) ? Level.DEBUG : Level.INFO;
    }

    /** Whether a failure is a routine refusal, logged at DEBUG: a TPM challenge, an attempt its address's throttle answered. */
    public static boolean routine(Throwable failure) {
        return failure instanceof ProvisioningException e && e.routine;
    }

    /** Whether a failure is a 429001: the client may try again later, on whichever transport it came. */
    public static boolean throttled(Throwable failure) {
        return failure instanceof ProvisioningException e && e.errorCode == ErrorCode.THROTTLED.code();
    }

    /** A TPM challenge: 401 with the blob the device must activate before it signs its next request. */
    public static ProvisioningException tpmChallenge(String authenticationKey, String internalDetail) {
        return new ProvisioningException(ErrorCode.UNAUTHORIZED,
                "TPM challenge: activate the identity key and resend with a SAS token", internalDetail,
                authenticationKey, true);
    }

    /**
     * 429001 for an attempt not checked, its address having spent its budget of refusals: a flood is told of once,
     * by the throttle's WARN, and counted in the metrics, so the attempts are routine (else one line each, as many
     * as the flood sends).
     */
    public static ProvisioningException addressThrottled(String internalDetail) {
        return new ProvisioningException(ErrorCode.THROTTLED, "Too many failed attempts from this address; retry later.",
                internalDetail, null, true);
    }

    public static ProvisioningException unauthorized(String internalDetail) {
        return new ProvisioningException(ErrorCode.UNAUTHORIZED, "Unauthorized", internalDetail);
    }

    public static ProvisioningException badRequest(String publicMessage) {
        return new ProvisioningException(ErrorCode.ARGUMENT_INVALID, publicMessage);
    }
}
