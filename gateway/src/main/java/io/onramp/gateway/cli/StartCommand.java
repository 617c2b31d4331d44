package io.onramp.gateway.cli;

import io.onramp.gateway.app.ConfigWatcher;
import io.onramp.gateway.app.Gateway;
import io.onramp.gateway.config.ConfigLoader;
import io.onramp.gateway.config.GatewayConfig;
import io.onramp.gateway.config.GatewayConfig.AccessPolicy;
import io.onramp.gateway.config.GatewayConfig.HubConfig;
import io.onramp.gateway.http.HubServiceAuthenticator;
import io.onramp.gateway.logging.LogLines;
import io.onramp.gateway.store.DataDirLock;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/** {@code onramp start [--config FILE]}: runs the gateway until it is stopped (Ctrl-C or SIGTERM). */
public final class StartCommand {

    private static final String USAGE = "usage: onramp start [--config FILE]   run the gateway (default config: conf/onramp.yaml)";

    /** org.h2.api.ErrorCode.DATABASE_ALREADY_OPEN_1, by value: the command line does not depend on H2 itself. */
    private static final int H2_DATABASE_ALREADY_OPEN = 90020;

    private static final Logger LOG = LoggerFactory.getLogger(StartCommand.class);

    private final Console console;

    public StartCommand(Console console) {
        this.console = console;
    }

    public int run(Arguments args) throws Exception {
        if (args.asksForHelp(1)) {
            console.println(USAGE);
            return 0;
        }
        args.refuseWordsAfter(1);
        Path configFile = args.config();
        ConfigLoader loader = ConfigLoader.forThisProcess();
        GatewayConfig config = loader.load(configFile);
        Gateway gateway;
        try {
            gateway = Gateway.start(config).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (dataDirInUse(e)) {
                throw new CommandException(DataDirLock.InUseException.message(config.dataDir()));
            }
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                if (stopping.compareAndSet(false, true)) {
                    stop(gateway, "signal");
                }
            } finally {
                LogLines.writeAndStop(); // the JVM halts when this hook ends
                stopped.countDown();
            }
        }, "onramp-shutdown"));
        AtomicReference<String> broken = new AtomicReference<>();
        // Not on the store's writer, which completes it: stopping waits for that writer to end.
        gateway.storeBroken().onSuccess(problem -> new Thread(() -> {
            if (stopping.compareAndSet(false, true)) {
                broken.set(problem);
                stop(gateway, "the store failed");
                stopped.countDown();
            }
        }, "onramp-store-failed").start());
        ConfigWatcher watcher = gateway.watchConfigFile(configFile, loader);
        // kill -HUP (systemctl reload) means "read the config now", not the JVM's default of stopping.
        Signal.handle(new Signal("HUP"), signal -> watcher.reloadNow());
        banner(configFile, gateway);
        stopped.await();
        if (broken.get() != null) {
            // Exits non-zero, for systemd's Restart= to start it again: the start replays the journal.
            throw new CommandException(broken.get() + " (every acknowledged write is in the journal, replayed at the"
                    + " next start)");
        }
        return 0;
    }

    private void stop(Gateway gateway, String reason) {
        try {
            gateway.stop(reason).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            console.error("onramp: stopping failed: " + e);
        }
    }

    /**
     * Another gateway holds the data directory: its lock ({@link DataDirLock}), or H2's on the store file ("Database
     * may be already in use", error 90020: a process that is no gateway, or an Onramp from before the lock).
     */
    private static boolean dataDirInUse(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof DataDirLock.InUseException
                    || cause instanceof SQLException sql && sql.getErrorCode() == H2_DATABASE_ALREADY_OPEN) {
                return true;
            }
        }
        return false;
    }

    private void banner(Path configFile, Gateway gateway) {
        GatewayConfig config = gateway.config();
        String dpsHost = config.tls().hostNames().get(0);
        String endpoint = "https://" + dpsHost + (gateway.httpsPort() == 443 ? "" : ":" + gateway.httpsPort());
        DpsHostCheck.warning(config, endpoint).ifPresent(LOG::warn);
        console.println("Onramp is running (config " + configFile.toAbsolutePath() + ", applied again when it changes)");
        console.println("  ID scope          " + config.idScope());
        console.println("  DPS endpoint      " + endpoint + "  (global endpoint for the SDKs: " + dpsHost + ")");
        console.println("  HTTPS listener    " + String.join(", ", config.listen().addresses()) + " port " + gateway.httpsPort());
        if (gateway.mqttsPort() >= 0) {
            console.println("  MQTT listener     " + String.join(", ", config.listen().addresses()) + " port " + gateway.mqttsPort()
                    + " (TLS)");
        }
        if (gateway.mqttPort() >= 0) {
            console.println("  MQTT listener     " + String.join(", ", config.listen().addresses()) + " port " + gateway.mqttPort()
                    + " (plaintext)");
        }
        if (gateway.amqpsPort() >= 0) {
            console.println("  AMQP listener     " + String.join(", ", config.listen().addresses()) + " port " + gateway.amqpsPort()
                    + " (TLS)");
        }
        console.println("  Devices trust     " + (gateway.tls().selfMade()
                ? gateway.tls().caCertificate().toAbsolutePath() : gateway.tls().certificateChain().toAbsolutePath()
                        + " (the root of this chain)"));
        console.println("  Data              " + config.dataDir());
        for (AccessPolicy policy : config.accessPolicies()) {
            console.println("  Service           HostName=" + dpsHost + ";SharedAccessKeyName=" + policy.name()
                    + ";SharedAccessKey=" + config.shownKey(policy.primaryKey()));
        }
        for (HubConfig hub : config.hubs()) {
            console.println(hubLine(config, hub));
        }
    }

    /** A hosted hub's connection string; a linked hub's address only: its key is the config's, not the banner's. */
    static String hubLine(GatewayConfig config, HubConfig hub) {
        if (!hub.hosted()) {
            return "  Hub " + hub.name() + "  linked: HostName=" + hub.remote().address()
                    + " (key in the config's connectionString)";
        }
        return "  Hub " + hub.name() + "  HostName=" + hub.hostName() + ";SharedAccessKeyName="
                + HubServiceAuthenticator.OWNER_POLICY + ";SharedAccessKey=" + config.shownKey(hub.ownerKey())
                + (hub.upstream() == null ? "" : "\n      telemetry forwarded to " + hub.upstream().address()
                        + (hub.upstream().topicPrefix().isEmpty() ? "" : " under " + hub.upstream().topicPrefix()));
    }
}
