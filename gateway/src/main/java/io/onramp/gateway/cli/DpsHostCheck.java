package io.onramp.gateway.cli;

import io.onramp.gateway.config.GatewayConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Whether the DPS endpoint the banner announces ({@code tls.hostNames[0]}, {@code localhost} by default) leads to
 * this gateway: with {@code listen.address: 127.0.0.236} and no host names, the banner said https://localhost:…,
 * where nothing listens. A gateway listening on every address (0.0.0.0, ::) is reached by any name of the machine.
 * Looks names up: call off the event loop.
 */
final class DpsHostCheck {

    private DpsHostCheck() {}

    /** The warning to log, or empty when the host name resolves to an address the gateway listens on. */
    static Optional<String> warning(GatewayConfig config, String endpoint) {
        List<String> listen = config.listen().addresses();
        if (listen.stream().anyMatch(a -> a.equals("0.0.0.0") || a.equals("::") || a.equals("[::]"))) {
            return Optional.empty();
        }
        String host = config.tls().hostNames().get(0);
        String fix = "; set tls.hostNames (its first name is the endpoint devices are given) to a name or address of "
                + String.join(", ", listen) + ", e.g. tls.hostNames: [" + listen.get(0) + "]";
        Set<InetAddress> hostAddresses;
        try {
            hostAddresses = new HashSet<>(Arrays.asList(InetAddress.getAllByName(host)));
        } catch (UnknownHostException e) {
            return Optional.of("the DPS endpoint " + endpoint + " does not lead here: tls.hostNames[0] " + host
                    + " does not resolve on this machine" + fix);
        }
        Set<InetAddress> listenAddresses = new HashSet<>();
        for (String address : listen) {
            try {
                listenAddresses.addAll(Arrays.asList(InetAddress.getAllByName(address)));
            } catch (UnknownHostException e) {
                return Optional.empty(); // the config check named it; nothing to compare with
            }
        }
        if (hostAddresses.stream().anyMatch(listenAddresses::contains)) {
            return Optional.empty();
        }
        return Optional.of("the DPS endpoint " + endpoint + " does not lead here: " + host + " is "
                + hostAddresses.stream().map(InetAddress::getHostAddress).sorted().collect(Collectors.joining(", "))
                + ", where this gateway does not listen (listen.address: " + String.join(", ", listen) + ")" + fix);
    }
}
