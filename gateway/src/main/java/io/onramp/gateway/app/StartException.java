package io.onramp.gateway.app;

/** A start that failed for a reason the operator fixes in the config: the message names the field. */
public final class StartException extends RuntimeException {

    StartException(String message, Throwable cause) {
        super(message, cause);
    }
}
