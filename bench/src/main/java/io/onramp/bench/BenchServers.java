package io.onramp.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The servers under test, the gateway and the bare handler, in a JVM of their own, as a gateway runs in production:
 * sharing it with the load generator, whose HTTP client runs the same Netty classes, kept the servers' profiles
 * moving and the JIT recompiling in the measured rounds. {@link ServerProcess} starts it and drives it with one
 * command per line on its stdin; it answers on stdout, every line of the protocol starting with {@link #PREFIX}
 * (anything else on stdout is not the bench's): an answer is any {@code line} lines (report lines, or a hub and its
 * device count), then {@code ok} with a value, or {@code error}.
 */
public final class BenchServers {

    static final String PREFIX = "@bench ";

    private final PrintStream out;
    private final BenchGateway gateway;
    private final BareServer bare;
    private ThreadCpu cpu;
    private ThreadAllocation allocation;
    private CollectorActivity collectors;
    private long faultsAtBegin;

    private BenchServers(PrintStream out, BenchGateway gateway, BareServer bare) {
        this.out = out;
        this.gateway = gateway;
        this.bare = bare;
    }

    /** {@code BenchServers DATA_DIR [bare] [custom]}: serves until told to stop or until its stdin closes. */
    public static void main(String[] args) throws Exception {
        // The protocol has stdout to itself: whatever else prints there goes to stderr, the gateway's log.
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        System.setOut(System.err);
        List<String> flags = List.of(args).subList(1, args.length);
        BenchWebhook webhook = flags.contains("custom") ? BenchWebhook.start() : null;
        BenchGateway gateway = BenchGateway.start(Path.of(args[0]), webhook == null ? null : webhook.url());
        BareServer bare = flags.contains("bare")
                ? BareServer.start(gateway.gateway().tls(), BenchGateway.ADDRESS, BenchGateway.ID_SCOPE,
                        List.of(BenchGateway.GROUP_PRIMARY_KEY, BenchGateway.GROUP_SECONDARY_KEY))
                : null;
        BenchServers servers = new BenchServers(out, gateway, bare);
        try {
            servers.answer("ok " + gateway.port() + " " + (bare == null ? 0 : bare.port()) + " " + gateway.caFile());
            servers.serve(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
        } finally {
            if (bare != null) {
                bare.close();
            }
            gateway.close();
            if (webhook != null) {
                webhook.close();
            }
        }
        System.exit(0);
    }

    private void serve(BufferedReader commands) throws Exception {
        for (String command = commands.readLine(); command != null && !command.equals("stop"); command = commands.readLine()) {
            try {
                run(command.trim().split(" "));
            } catch (Exception e) {
                answer("error " + e);
            }
        }
    }

    private void run(String[] command) throws Exception {
        switch (command[0]) {
            case "quiet" -> {
                // Each round starts from a collected heap and an idle JVM: no garbage or background work of the last.
                System.gc();
                QuietWait.untilQuiet();
                answer("ok");
            }
            case "begin" -> {
                cpu = ThreadCpu.start();
                allocation = ThreadAllocation.start();
                collectors = CollectorActivity.start();
                faultsAtBegin = PageFaults.minor();
                answer("ok");
            }
            case "end" -> {
                long registrations = Long.parseLong(command[1]);
                answer("line     CPU per registration: " + ThreadCpu.describe(cpu.sinceStart(), 8, registrations));
                answer("line     heap allocated per registration: "
                        + ThreadAllocation.describe(allocation.sinceStart(), 5, registrations));
                answer("line     collections and JIT during the round: " + collectors.sinceStart()
                        + String.format(java.util.Locale.ROOT, "; page faults %.2f per registration",
                                (double) (PageFaults.minor() - faultsAtBegin) / Math.max(1, registrations)));
                answer("ok");
            }
            case "jit" -> answer("ok " + CollectorActivity.jitMillis());
            case "faults" -> answer("ok " + PageFaults.minor());
            case "stored" -> {
                gateway.devicesPerHub().forEach((hub, count) -> answer("line " + hub + " " + count));
                answer("ok");
            }
            default -> answer("error unknown command " + String.join(" ", command));
        }
    }

    private void answer(String text) {
        out.println(PREFIX + text);
    }
}
