package io.onramp.gateway.hub;

import io.onramp.broker.hub.HubException;
import io.onramp.gateway.config.GatewayConfig.HubConfig;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.security.cert.CertificateException;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Why a linked hub ({@code hubs[N].connectionString}) did not answer, in words an operator acts on: which hub,
 * and what to check, rather than a Netty exception or "HubException: Unauthorized". The gateway's start-up
 * probe and the command line word it alike.
 */
public final class LinkedHubFailure {

    private LinkedHubFailure() {}

    /** "linked hub plant-2 (127.0.0.232): unauthorized: check …": {@code index} is the hub's place in {@code hubs}. */
    public static String describe(HubConfig hub, int index, Throwable failure) {
        return name(hub) + ": " + reason(hub, index, failure);
    }

    /** "linked hub plant-2 (127.0.0.232)", with the port when it is not 443. */
    public static String name(HubConfig hub) {
        return "linked hub " + hub.name() + " (" + hub.remote().address() + ")";
    }

    /** Whether this failure is about reaching or being let in by the hub, not about what was asked of it. */
    public static boolean isAboutTheLink(Throwable failure) {
        return !(failure instanceof HubException refused) || refused.status() == 401 || refused.status() == 403;
    }

    static String reason(HubConfig hub, int index, Throwable failure) {
        String field = "hubs[" + index + "]";
        if (failure instanceof HubException refused) {
            return switch (refused.status()) {
                case 401 -> "unauthorized: check the SharedAccessKey (and SharedAccessKeyName) of " + field
                        + ".connectionString";
                case 403 -> "forbidden: the policy " + hub.remote().keyName() + " of " + field
                        + ".connectionString lacks registry rights; give the iothubowner policy";
                default -> "it answered " + refused.status() + " " + refused.errorCode() + ": " + refused.getMessage();
            };
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException refused) {
                return "unreachable: " + connectReason(refused);
            }
            if (cause instanceof UnknownHostException) {
                return "unreachable: its host name " + hub.remote().hostName() + " does not resolve";
            }
            if (cause instanceof TimeoutException) {
                return "unreachable: no answer in time";
            }
            if (cause instanceof SSLException || cause instanceof CertificateException) {
                return hub.remote().caCertificate() == null
                        ? "TLS: not trusted, give " + field + ".caCertificate (the PEM file of the CA its certificate"
                                + " chains to)"
                        : "TLS: not trusted with " + field + ".caCertificate " + hub.remote().caCertificate()
                                + ": give the CA its certificate chains to (" + firstLine(cause) + ")";
            }
        }
        return failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }

    /**
     * Why a connection could not be made, in words ("connection refused", "no route to host"): NIO says "Connection
     * refused: /127.0.0.232:443", epoll "finishConnect(..) failed with error(-111): Connection refused:
     * /127.0.0.232:443": the reason is the part before the address, after any system call.
     */
    public static String connectReason(ConnectException e) {
        String message = e.getMessage() == null ? "" : e.getMessage().replaceFirst(": /?[^ ]*$", "");
        int colon = message.lastIndexOf(": ");
        String reason = (colon < 0 ? message : message.substring(colon + 2)).strip().toLowerCase(Locale.ROOT);
        return reason.isEmpty() || reason.contains("(..)") ? "cannot connect" : reason;
    }

    private static String firstLine(Throwable e) {
        String message = String.valueOf(e.getMessage());
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
