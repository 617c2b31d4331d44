package io.onramp.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A bench's work directory (configs, keys, Onramp's store), removed when the bench ends. */
public final class Directories {

    private Directories() {}

    /** Deletes {@code dir} and everything in it, deepest first. */
    public static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
