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
    private final String tpmAuthenticationKey;

    public ProvisioningException(ErrorCode code, String publicMessage, String internalDetail) {
        this(code, publicMessage, internalDetail, null);
    }

    private ProvisioningException(ErrorCode code, String publicMessage, String internalDetail,
            String tpmAuthenticationKey) {
        super(internalDetail == null ? publicMessage : internalDetail, null, false, false);
        this.status = code.status();
        this.errorCode = code.code();
        this.publicMessage = publicMessage;
        this.tpmAuthenticationKey = tpmAuthenticationKey;
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

    /** Whether a failure is a 429001: the client may try again later, on whichever transport it came. */
    public static boolean throttled(Throwable failure) {
        return failure instanceof ProvisioningException e && e.errorCode == ErrorCode.THROTTLED.code();
    }

    /** A TPM challenge: 401 with the blob the device must activate before it signs its next request. */
    public static ProvisioningException tpmChallenge(String authenticationKey, String internalDetail) {
        return new ProvisioningException(ErrorCode.UNAUTHORIZED,
                "TPM challenge: activate the identity key and resend with a SAS token", internalDetail,
                authenticationKey);
    }

    public static ProvisioningException unauthorized(String internalDetail) {
        return new ProvisioningException(ErrorCode.UNAUTHORIZED, "Unauthorized", internalDetail);
    }

    public static ProvisioningException badRequest(String publicMessage) {
        return new ProvisioningException(ErrorCode.ARGUMENT_INVALID, publicMessage);
    }
}
