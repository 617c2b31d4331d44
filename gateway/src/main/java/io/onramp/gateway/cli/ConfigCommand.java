package io.onramp.gateway.cli;

import io.onramp.gateway.app.ConfigPreview;
import io.onramp.gateway.config.ConfigException;
import io.onramp.gateway.config.ConfigLoader;
import io.onramp.gateway.config.GatewayConfig;
import io.onramp.gateway.config.GatewayConfig.HubConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code onramp config check [FILE]}: reads a config file as a start or a hot reload would, without applying it,
 * and tells what putting it in place of the running gateway's config would change. A running gateway applies a
 * saved file within seconds, removed enrollments included: an edit made on a copy and checked first is the safe way.
 */
public final class ConfigCommand {

    private static final String USAGE = """
            usage: onramp config check [FILE] [--config FILE]
              reads FILE (default: the config file) as a start or a reload would, without applying it. With FILE, also
              tells what putting it in place of the config file (--config, default conf/onramp.yaml) would change in
              the gateway that runs on it: what applies at once, what waits for a restart, and the config enrollments
              added, changed and removed. Exit status 0 when the file is valid and would apply, 1 when not.""";

    private final Console console;

    public ConfigCommand(Console console) {
        this.console = console;
    }

    public int run(Arguments args) {
        if (args.asksForHelp(1)) {
            console.println(USAGE);
            return 0;
        }
        if (args.words().size() < 2) {
            console.error(USAGE);
            return 2;
        }
        if (!args.words().get(1).equals("check")) {
            throw new IllegalArgumentException("unknown config command '" + args.words().get(1) + "'");
        }
        args.refuseWordsAfter(3);
        ConfigLoader loader = ConfigLoader.forThisProcess();
        Path candidate = args.words().size() > 2 ? Path.of(args.words().get(2)) : args.config();
        GatewayConfig next;
        try {
            next = loader.load(candidate);
        } catch (ConfigException e) {
            console.error("onramp: " + e.getMessage());
            return 1;
        }
        console.println(candidate + " is valid: " + summary(next));
        Path current = args.configFile();
        if (args.words().size() < 3 || sameFile(candidate, current)) {
            return 0;
        }
        if (!Files.exists(current)) {
            console.println("(" + current + " is not there: nothing to compare with)");
            return 0;
        }
        GatewayConfig running;
        try {
            running = loader.load(current);
        } catch (ConfigException e) {
            console.println("(" + current + " does not load itself, so nothing to compare with: " + e.getMessage() + ")");
            return 0;
        }
        try {
            print(current, ConfigPreview.of(candidate.toString(), running, next));
            return 0;
        } catch (ConfigException e) {
            console.error("onramp: put in place of " + current + ", it would be refused by the gateway running on that"
                    + " file (a start would take it): " + e.getMessage());
            return 1;
        }
    }

    private void print(Path current, ConfigPreview preview) {
        if (!preview.changesAnything()) {
            console.println("Put in place of " + current + ", it would change nothing.");
            return;
        }
        console.println("Put in place of " + current + ", it would change:");
        line("at once:", preview.changed());
        line("at the next start:", preview.needRestart());
        line("enrollments added:", listed(preview.added()));
        line("enrollments changed:", listed(preview.altered()));
        line("enrollments REMOVED:", listed(preview.removed()));
        if (!preview.removed().isEmpty()) {
            console.println("  (the devices of removed enrollments can no longer register; those registered stay at their hubs)");
        }
    }

    private void line(String label, List<String> items) {
        if (!items.isEmpty()) {
            console.println(String.format("  %-20s %s", label, String.join("; ", items)));
        }
    }

    /** "2: group sensors, individual press-7" (the first ten, then a count). */
    private static List<String> listed(List<String> names) {
        return names.isEmpty() ? names : List.of(names.size() + ": " + ConfigPreview.briefly(names));
    }

    /** "idScope 0ne00000001, 2 hubs (line-a 127.0.0.2, line-b 127.0.0.3), allocation hashed, ..." */
    static String summary(GatewayConfig config) {
        List<String> hubs = new ArrayList<>();
        for (HubConfig hub : config.hubs()) {
            hubs.add(hub.name() + " " + hub.hostName());
        }
        return "idScope " + config.idScope()
                + ", " + count(config.hubs().size(), "hub") + (hubs.isEmpty() ? "" : " (" + String.join(", ", hubs) + ")")
                + ", allocation " + config.allocationPolicy().wireName()
                + ", " + count(config.enrollmentGroups().size(), "enrollment group")
                + ", " + count(config.individualEnrollments().size(), "individual enrollment")
                + ", " + count(config.accessPolicies().size(), "access policy")
                + ", " + count(config.caCertificates().size(), "CA certificate");
    }

    private static String count(int n, String what) {
        String plural = what.endsWith("y") ? what.substring(0, what.length() - 1) + "ies" : what + "s";
        return n + " " + (n == 1 ? what : plural);
    }

    private static boolean sameFile(Path one, Path other) {
        try {
            return Files.exists(other) && Files.isSameFile(one, other);
        } catch (IOException e) {
            return false;
        }
    }
}
