package io.onramp.gateway.app;

import io.onramp.gateway.cli.Arguments;
import io.onramp.gateway.cli.BackupCommand;
import io.onramp.gateway.cli.CertsCommand;
import io.onramp.gateway.cli.CommandException;
import io.onramp.gateway.cli.ConfigCommand;
import io.onramp.gateway.cli.Console;
import io.onramp.gateway.cli.DevicesCommand;
import io.onramp.gateway.cli.EnrollmentsCommand;
import io.onramp.gateway.cli.FailureText;
import io.onramp.gateway.cli.RegistrationsCommand;
import io.onramp.gateway.cli.RestoreCommand;
import io.onramp.gateway.cli.StartCommand;
import io.onramp.gateway.cli.TokenCommand;
import io.onramp.gateway.config.ConfigException;
import io.onramp.gateway.logging.LogLines;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/** The {@code onramp} command. */
public final class Main {

    private static final String USAGE = """
            usage: onramp <command> [options]
                start [--config FILE]                        run the gateway (default config: conf/onramp.yaml)
                config check [FILE] [--config FILE]          read a config file without applying it; with FILE, what
                                                             putting it in place of the config file would change
                devices list [--hub HOST] [--config FILE]    list the devices registered at the hubs
                devices show ID [--hub HOST] [--config FILE] one device: status, connection and twin
                devices enable|disable ID [--hub HOST]       let a device connect to its hub, or not
                enrollments list|show|create|enable|disable|delete|import|export ...
                                                             enrollments through the service API
                registrations list --group G | show ID | delete ID | deprovision ID
                                                             registration states through the service API
                certs root|intermediate|device|sign-verification|show|verify|demo ...
                                                             X.509 material and proof of possession
                certs ca list|show|upload|code|verify|prove|delete ...
                                                             the gateway's CA certificates
                token --hub HUB [--device-id ID] [--ttl SECONDS]
                                                             a SAS token for a hub's service side or a device
                backup FILE [--force] [--config FILE]        a zip of the running gateway's store
                restore FILE [--config FILE]                 put a backup in place (the gateway stopped)
            Every command but the offline certs ones takes --config FILE, the config of the gateway it runs or
            talks to (default conf/onramp.yaml of the working directory, else of the installation).
            onramp COMMAND --help (or -h, or: onramp COMMAND help) shows a command's options,
            e.g. onramp enrollments --help, onramp certs ca --help.
            """;

    private static final Set<String> COMMANDS = Set.of("start", "config", "devices", "enrollments", "registrations", "certs", "token",
            "backup", "restore");
    /** The options each command takes (certs parses its own): any other is refused, not ignored. */
    private static final Map<String, Set<String>> FLAGS = Map.of(
            "start", Set.of("config"),
            "devices", Set.of("config", "hub"),
            "enrollments", EnrollmentsCommand.FLAGS,
            "registrations", Set.of("config", "group", "status", "hub"),
            "token", Set.of("config", "hub", "device-id", "ttl"),
            "backup", Set.of("config", "force"));

    private Main() {}

    public static void main(String[] args) {
        int status = run(args, Console.system());
        LogLines.writeAndStop();
        System.exit(status);
    }

    static int run(String[] args, Console console) {
        if (args.length == 0 || Set.of("help", "--help", "-h").contains(args[0])) {
            console.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        Arguments arguments = null;
        try {
            if (args[0].equals("certs")) {
                return new CertsCommand(console).run(CertsCommand.arguments(args)); // its own options
            }
            arguments = new Arguments(Arguments.withSwitch(args, "force"), FLAGS.getOrDefault(args[0], Set.of("config")));
            return switch (args[0]) {
                case "start" -> new StartCommand(console).run(arguments);
                case "config" -> new ConfigCommand(console).run(arguments);
                case "devices" -> new DevicesCommand(console).run(arguments);
                case "enrollments" -> new EnrollmentsCommand(console).run(arguments);
                case "registrations" -> new RegistrationsCommand(console).run(arguments);
                case "token" -> new TokenCommand(console).run(arguments);
                case "backup" -> new BackupCommand(console).run(arguments);
                case "restore" -> new RestoreCommand(console).run(arguments);
                default -> {
                    console.error("onramp: unknown command '" + args[0] + "'\n" + USAGE);
                    yield 2;
                }
            };
        } catch (ConfigException e) {
            console.error("onramp: " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            // A mistake within a known command points at that command's usage, not at the list of commands.
            console.error("onramp: " + e.getMessage() + (COMMANDS.contains(args[0])
                    ? " (onramp " + args[0] + " --help lists its options)" : "\n" + USAGE));
            return 2;
        } catch (ExecutionException e) {
            console.error("onramp: " + describe(e.getCause(), arguments));
            return 1;
        } catch (Exception e) {
            console.error("onramp: " + describe(e, arguments));
            return 1;
        }
    }

    private static String describe(Throwable e, Arguments arguments) {
        if (e instanceof CommandException) {
            return e.getMessage(); // says which gateway or hub failed, and what to do
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.ConnectException refused) {
                // The commands other than start talk to a running gateway: say which, and what to do. Without
                // --config that is conf/onramp.yaml's, which may not be the one the user meant.
                return refused.getMessage() + " - is the gateway running? (./onramp start)"
                        + (arguments == null ? "" : " The address is " + arguments.configFile() + "'s listen;"
                                + " --config FILE names another gateway's config.");
            }
        }
        return e instanceof ConfigException || e instanceof ListenException || e instanceof StartException
                || e instanceof CommandException ? e.getMessage()
                : FailureText.of(e);
    }
}
