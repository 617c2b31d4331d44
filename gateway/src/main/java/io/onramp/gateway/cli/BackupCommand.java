package io.onramp.gateway.cli;

import io.onramp.gateway.config.ConfigLoader;
import io.onramp.gateway.config.GatewayConfig;
import io.onramp.gateway.config.GatewayConfig.Right;
import io.onramp.gateway.store.DirectorySync;
import io.onramp.gateway.store.OwnerOnly;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClosedException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ExecutionException;

/**
 * {@code onramp backup FILE [--force]}: has the running gateway of the config write a consistent copy of its store
 * ({@code POST /admin/backup}, the ServiceConfig right) and saves it to FILE, mode 600: it holds every device's key.
 */
public final class BackupCommand {

    static final String USAGE = "usage: onramp backup FILE [--force] [--config FILE]"
            + "   (a zip of the running gateway's store; --force replaces FILE; restore it with onramp restore)";
    static final String PATH = "/admin/backup";

    private final Console console;

    public BackupCommand(Console console) {
        this.console = console;
    }

    public int run(Arguments args) throws Exception {
        if (args.asksForHelp(1)) {
            console.println(USAGE);
            return 0;
        }
        args.refuseWordsAfter(2);
        if (args.words().size() != 2) {
            console.error(USAGE);
            return 2;
        }
        Path file = Path.of(args.words().get(1));
        CertsCommand.requireNew(args, List.of(file), "FILE", " (it is overwritten with the new backup)");
        GatewayConfig config = ConfigLoader.forThisProcess().load(args.config());
        Vertx vertx = Vertx.vertx();
        boolean created = false;
        boolean written = false;
        try (ServiceApiClient api = ServiceApiClient.open(vertx, config, List.of(Right.ServiceConfig))) {
            OwnerOnly.newWriter(file).close(); // mode 600 before a byte of the store is in it
            created = true;
            api.download(PATH, file).toCompletionStage().toCompletableFuture().get();
            try (FileChannel onDisk = FileChannel.open(file, StandardOpenOption.WRITE)) {
                onDisk.force(true); // on the disk before it is called written: a backup is kept for the bad day
            }
            DirectorySync.sync(file.toAbsolutePath().getParent()); // and its name with it
            written = true;
            console.println("wrote " + file + " (" + Files.size(file) + " bytes): the store; dataDir/tls is not in it,"
                    + " keep a copy of it too");
            return 0;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ServiceApiClient.ServiceApiException failure) {
                console.error("onramp: the gateway did not back up its store: " + failure.getMessage());
                return 1;
            }
            if (e.getCause() instanceof HttpClosedException) {
                console.error("onramp: the gateway closed the connection before the backup was sent (it stopped?"
                        + " see its log); " + file + " was not written");
                return 1;
            }
            throw e;
        } finally {
            if (created && !written) {
                Files.deleteIfExists(file); // no partial backup left to be mistaken for a whole one
            }
            vertx.close();
        }
    }
}
