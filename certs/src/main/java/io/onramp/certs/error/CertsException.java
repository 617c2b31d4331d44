package io.onramp.certs.error;

import java.util.Objects;

/**
 * Failure of a certificate, key or PEM operation. The {@link Reason} lets callers map the failure
 * to a wire error without parsing messages; the message is for the log, not for the client.
 */
public class CertsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why the material was refused. */
    public enum Reason { UNTRUSTED, EXPIRED, REVOKED, MALFORMED, BAD_SIGNATURE }

    private final Reason reason;

    public CertsException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public CertsException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }
}
