package io.onramp.gateway.cli;

import io.onramp.gateway.config.ConfigLoader;
import io.onramp.gateway.config.GatewayConfig;
import io.onramp.gateway.store.Database;
import io.onramp.gateway.store.OwnerOnly;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * {@code onramp restore FILE}: puts a backup ({@link BackupCommand}) in place of the store of the config's dataDir,
 * the gateway stopped. The backup is checked (a zip holding onramp.mv.db that opens as an Onramp store) before
 * anything in dataDir changes; the replaced store and journal are moved aside, not deleted. The swap itself
 * ({@link StoreSwap}) keeps a gateway starting meanwhile from opening either store.
 */
public final class RestoreCommand {

    static final String USAGE = "usage: onramp restore FILE [--config FILE]"
            + "   (puts a backup made by onramp backup in place of the store; stop the gateway first)";
    private static final String STORE_FILE = StoreSwap.STORE_FILE;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    private final Console console;

    public RestoreCommand(Console console) {
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
        Path backup = Path.of(args.words().get(1));
        if (!Files.isRegularFile(backup)) {
            throw new CommandException(backup + " is not a file: give the zip onramp backup wrote");
        }
        GatewayConfig config = ConfigLoader.forThisProcess().load(args.config());
        Path dataDir = config.dataDir();
        OwnerOnly.createDirectories(dataDir);
        String stamp = STAMP.format(Instant.now());
        try (StoreSwap swap = StoreSwap.hold(dataDir)) {
            Path staged = swap.newStaging(stamp);
            try {
                OwnerOnly.createDirectories(staged);
                extract(backup, staged.resolve(STORE_FILE));
                StagedStore checked = checkStore(backup, staged);
                Path replaced = dataDir.resolve("replaced-" + stamp);
                for (Path aside : swap.replaceWith(staged.resolve(STORE_FILE), replaced)) {
                    console.println("moved " + dataDir.resolve(aside.getFileName()) + " to " + aside);
                }
                Path live = dataDir.resolve(STORE_FILE);
                OwnerOnly.restrict(live);
                console.println("restored " + backup + " into " + live + " (" + checked.describe() + ");"
                        + (Files.isDirectory(replaced) ? " the replaced store is in " + replaced + ";" : "")
                        + " start the gateway: ./onramp start");
                return 0;
            } finally {
                StoreSwap.deleteTree(staged);
            }
        }
    }

    private static void extract(Path backup, Path target) throws IOException {
        try (ZipFile zip = new ZipFile(backup.toFile())) {
            ZipEntry entry = zip.getEntry(STORE_FILE);
            if (entry == null) {
                throw new CommandException(backup + " holds no " + STORE_FILE + ": it is not a backup onramp backup"
                        + " wrote; nothing was changed");
            }
            try (InputStream in = zip.getInputStream(entry)) {
                Files.copy(in, target);
            }
            OwnerOnly.restrict(target);
        } catch (ZipException e) {
            throw new CommandException(backup + " is not a zip (" + e.getMessage() + "): give the file onramp backup"
                    + " wrote; nothing was changed");
        }
    }

    /** What the staged copy holds: its registrations, and when the backup was taken when it says. */
    private record StagedStore(long registrations, Optional<Instant> takenAt) {
        String describe() {
            return takenAt.map(at -> "a backup taken at " + at.truncatedTo(ChronoUnit.SECONDS) + ", ").orElse("")
                    + registrations + (registrations == 1 ? " registration state" : " registration states");
        }
    }

    /** Opens the staged copy as a store; a file that is not Onramp's is refused here. */
    private static StagedStore checkStore(Path backup, Path staged) {
        String url = "jdbc:h2:file:" + staged.toAbsolutePath().resolve("onramp") + ";IFEXISTS=TRUE";
        try (Connection connection = DriverManager.getConnection(url, "onramp", "");
                Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM registrations")) {
            rs.next();
            return new StagedStore(rs.getLong(1), Database.backupTakenAt(connection));
        } catch (SQLException e) {
            throw new CommandException(backup + "'s " + STORE_FILE + " does not open as an Onramp store ("
                    + e.getMessage().lines().findFirst().orElse("") + "); nothing was changed");
        }
    }
}
