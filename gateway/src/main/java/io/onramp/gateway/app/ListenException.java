package io.onramp.gateway.app;

/** A listener that could not open: its message names the address, the port and the config field to change. */
public final class ListenException extends RuntimeException {

    ListenException(String what, String address, int port, String field, Throwable cause) {
        super("cannot listen for " + what + " on " + address + ":" + port + " (" + cause.getMessage()
                + "): another process may hold the port, or the address is not one of this machine's; see listen."
                + field + " and listen.address in the config", cause);
    }
}
