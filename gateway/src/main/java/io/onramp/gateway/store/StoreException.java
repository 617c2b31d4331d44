package io.onramp.gateway.store;

/** A store failure: the write was not made durable and must not be acknowledged. */
public final class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
