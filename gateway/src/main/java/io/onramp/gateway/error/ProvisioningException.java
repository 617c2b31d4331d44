package io.onramp.gateway.error;

/**
 * The one error family of the gateway: an HTTP-like status, an Azure-style six-digit error code
 * (status x 1000 + detail) and a short public message. The internal cause goes to the log only, so a
 * client never learns whether the registration ID, the key or the token was wrong.
 */
public final class ProvisioningException extends RuntimeException {

    private final int status;
    private final int errorCode;
    private final String publicMessage;

    public ProvisioningException(ErrorCode code, String publicMessage, String internalDetail) {
        super(internalDetail == null ? publicMessage : internalDetail, null, false, false);
        this.status = code.status();
        this.errorCode = code.code();
        this.publicMessage = publicMessage;
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

    public static ProvisioningException unauthorized(String internalDetail) {
        return new ProvisioningException(ErrorCode.UNAUTHORIZED, "Unauthorized", internalDetail);
    }

    public static ProvisioningException badRequest(String publicMessage) {
        return new ProvisioningException(ErrorCode.ARGUMENT_INVALID, publicMessage);
    }
}
