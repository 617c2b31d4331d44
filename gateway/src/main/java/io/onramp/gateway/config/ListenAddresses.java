package io.onramp.gateway.config;

import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * {@code listen.address} entries: an IP address (no lookup), or a host name that resolves here (README: "bind
 * address"; a name like localhost works with Vert.x). Checked when the config is read, so that a mistyped
 * address is named before the first listeners open, not reported by the last one as a port problem.
 */
final class ListenAddresses {

    private ListenAddresses() {}

    static boolean check(ConfigNode node, String address) {
        if (NetUtil.isValidIpV4Address(address) || NetUtil.isValidIpV6Address(address)) {
            return true;
        }
        if (address.chars().allMatch(c -> c == '.' || Character.isDigit(c)) || address.contains(":")
                || !address.chars().allMatch(c -> c == '.' || c == '-' || Character.isLetterOrDigit(c))) {
            node.problem("'" + address + "' is not an IP address (e.g. 0.0.0.0, 10.0.0.5 or ::1) nor a host name");
            return false;
        }
        try {
            InetAddress.getByName(address);
            return true;
        } catch (UnknownHostException e) {
            node.problem("'" + address + "' is not an IP address, and as a host name it does not resolve here");
            return false;
        }
    }
}
