package io.onramp.certs.tpm;

/**
 * A TPM structure from a device is malformed or of a kind this server does not accept (not RSA, truncated,
 * trailing bytes, wrong attributes, a name algorithm other than SHA-256, ...). The message says what is wrong; it
 * is meant for the log, not for the device.
 */
public final class TpmFormatException extends Exception {

    private static final long serialVersionUID = 1L;

    public TpmFormatException(String message) {
        super(message);
    }
}
