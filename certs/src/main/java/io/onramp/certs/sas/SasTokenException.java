package io.onramp.certs.sas;

/**
 * A SAS token that cannot be parsed. Messages name the offending field but never echo token
 * values, so they are safe to log.
 */
public class SasTokenException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SasTokenException(String message) {
        super(message);
    }

    public SasTokenException(String message, Throwable cause) {
        super(message, cause);
    }
}
