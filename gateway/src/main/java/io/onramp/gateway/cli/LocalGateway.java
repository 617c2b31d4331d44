package io.onramp.gateway.cli;

import io.onramp.gateway.config.GatewayConfig;
import java.nio.file.Files;
import java.nio.file.Path;

/** How the command line reaches the gateway of its config file: the HTTPS listener's address and the CA to trust. */
final class LocalGateway {

    private LocalGateway() {}

    /** The listen address, or loopback when the gateway listens on every address. */
    static String address(GatewayConfig config) {
        return config.listen().address().equals("0.0.0.0") ? "127.0.0.1" : config.listen().address();
    }

    /** The CA the gateway's certificate chains to: the self-made one under dataDir, or the configured chain. */
    static Path trustedCa(GatewayConfig config) {
        Path ca = config.tls().selfMade() ? config.dataDir().resolve("tls").resolve("ca.pem") : config.tls().certificate();
        if (!Files.isReadable(ca)) {
            throw new CommandException("cannot read " + ca + ", the CA the gateway's certificate chains to. Relative paths"
                    + " in the config resolve against the directory onramp runs in (" + Path.of("").toAbsolutePath()
                    + "): run the command where the gateway runs, or give absolute paths in the config.");
        }
        return ca;
    }
}
