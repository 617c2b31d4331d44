package io.onramp.gateway.app;

import java.net.BindException;
import java.util.Locale;

/**
 * A listener that could not open: its message names the address, the port and the config field to change.
 * The hint about the port or the address is given only when binding failed, not for every cause.
 */
public final class ListenException extends RuntimeException {

    ListenException(String what, String address, int port, String field, Throwable cause) {
        super("cannot listen for " + what + " on " + address + ":" + port + " (" + cause.getMessage() + ")"
                + hint(cause, port, field), cause);
    }

    private static String hint(Throwable failure, int port, String field) {
        String see = "; see listen." + field + " and listen.address in the config";
        boolean bind = false;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            String message = String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT);
            // Netty's native transport reports bind errors as IOExceptions with the errno text.
            if (message.contains("address already in use")) {
                return ": another process holds the port" + see;
            }
            if (message.contains("cannot assign requested address")) {
                return ": the address is not one of this machine's" + see;
            }
            if (message.contains("permission denied") && port < 1024) {
                return ": ports below 1024 need root or CAP_NET_BIND_SERVICE" + see;
            }
            bind |= cause instanceof BindException || message.contains("bind(");
        }
        return bind ? ": another process may hold the port, or the address is not one of this machine's" + see : "";
    }
}
