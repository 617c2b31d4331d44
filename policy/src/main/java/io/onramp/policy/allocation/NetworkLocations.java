package io.onramp.policy.allocation;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where devices are, by the networks their addresses are in: each location has CIDR blocks ({@code 10.1.0.0/16},
 * {@code fd00:7::/48}, or one address). An address in several blocks is in the most specific one's location. Only
 * address literals are read, never a name to look up: this class does no I/O.
 */
public final class NetworkLocations {

    public static final NetworkLocations NONE = new NetworkLocations(List.of());

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private record Block(String location, byte[] network, int prefix) {
        boolean sameNetwork(Block other) {
            return other.prefix == prefix && contains(other.network);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int whole = prefix / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[whole] & mask) == (network[whole] & mask);
        }
    }

    private final List<Block> blocks;

    private NetworkLocations(List<Block> blocks) {
        this.blocks = List.copyOf(blocks);
    }

    /**
     * @param networks CIDR blocks by location name
     * @throws IllegalArgumentException naming the first block that is not an address literal with a prefix length
     *     that fits it, or a block given to two locations (which would then hold its devices is no one's choice)
     */
    public static NetworkLocations of(Map<String, List<String>> networks) {
        List<Block> blocks = new ArrayList<>();
        networks.forEach((location, cidrs) -> {
            for (String cidr : cidrs) {
                Block block = block(location, cidr);
                for (Block other : blocks) {
                    if (!other.location().equals(location) && other.sameNetwork(block)) {
                        throw new IllegalArgumentException("'" + cidr + "' is a network of both " + other.location()
                                + " and " + location + ": give it to one");
                    }
                }
                blocks.add(block);
            }
        });
        return new NetworkLocations(blocks);
    }

    /** The location of {@code address} (an IP address literal), or null when it is in none or is no literal. */
    public String locate(String address) {
        byte[] bytes = literal(address);
        if (bytes == null) {
            return null;
        }
        Block best = null;
        for (Block block : blocks) {
            if (block.contains(bytes) && (best == null || block.prefix() > best.prefix())) {
                best = block;
            }
        }
        return best == null ? null : best.location();
    }

    private static Block block(String location, String cidr) {
        String text = cidr == null ? "" : cidr.trim();
        int slash = text.indexOf('/');
        byte[] network = literal(slash < 0 ? text : text.substring(0, slash));
        if (network == null) {
            throw new IllegalArgumentException("'" + cidr + "' is not an IP address or CIDR block (10.1.0.0/16, fd00:7::/48)");
        }
        int bits = network.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("'" + cidr + "': the prefix length must be 0 to " + bits);
            }
        }
        return new Block(location, network, prefix);
    }

    private static boolean octetsFit(String ipv4) {
        for (String octet : ipv4.split("\\.")) {
            if (Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }

    /** The bytes of an IPv4 or IPv6 literal (an IPv4-mapped IPv6 address as IPv4), or null. */
    private static byte[] literal(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        boolean v4 = IPV4.matcher(text).matches() && octetsFit(text);
        // A colon makes InetAddress read an IPv6 literal; anything else (a name) it would look up: refused here.
        if (!v4 && text.indexOf(':') < 0) {
            return null;
        }
        int zone = text.indexOf('%'); // a link-local peer's zone (fe80::1%eth0) names an interface, not a network
        if (zone >= 0) {
            text = text.substring(0, zone);
        }
        try {
            return InetAddress.getByName(text.toLowerCase(Locale.ROOT)).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
