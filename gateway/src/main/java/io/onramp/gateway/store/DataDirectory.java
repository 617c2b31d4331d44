package io.onramp.gateway.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data directory holds every device's key in plain text (H2 file, journal): at start it is made mode 700, or,
 * when an older Onramp (or a chmod) left it open to other users, tightened with Onramp's own files in it.
 */
public final class DataDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(DataDirectory.class);
    /** Onramp's entries besides the H2 files; a user's other files in dataDir are not touched. */
    private static final List<String> OWN_DIRECTORIES = List.of("journal", "tls");

    private DataDirectory() {}

    /** Blocking: call off the event loop, before anything is written under {@code dataDir}. */
    public static void prepare(Path dataDir) throws IOException {
        if (!Files.exists(dataDir)) {
            OwnerOnly.createDirectories(dataDir);
            return;
        }
        if (!OwnerOnly.openToOthers(dataDir)) {
            return;
        }
        int changed = 0;
        try {
            for (Path own : ownEntries(dataDir)) {
                changed += OwnerOnly.tighten(own);
            }
            OwnerOnly.restrict(dataDir);
        } catch (IOException e) {
            // Not refused: the gateway ran this way before; the operator is told what to do.
            LOG.warn("dataDir {} is readable by other users and holds every device's key, but could not be made"
                    + " owner-only ({}): chmod 700 {} as its owner", dataDir, e, dataDir);
            return;
        }
        LOG.warn("dataDir {} was readable by other users (as older Onramp versions made it): it holds every device's"
                + " key, so it is owner-only now (directories 700, files 600; {} file(s) and directories changed)."
                + " Copies of it and enrollment exports need the same care", dataDir, changed + 1);
    }

    private static List<Path> ownEntries(Path dataDir) throws IOException {
        try (Stream<Path> entries = Files.list(dataDir)) {
            return entries.filter(p -> OWN_DIRECTORIES.contains(p.getFileName().toString()) || Database.isH2File(p))
                    .toList();
        }
    }
}
