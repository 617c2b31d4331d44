package io.onramp.gateway.store;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The crash tests' victim: a child JVM running {@code main} on a data directory, every line it prints handed over as
 * it comes, killed with SIGKILL once {@code killNow} says so (no shutdown hook, nothing flushed or closed). The
 * handle only signals: {@code Process.destroyForcibly} would also close our end of the pipe and lose the lines
 * already in it, and the acknowledgements printed just before the kill are the ones that matter.
 */
final class KilledChild {

    private KilledChild() {
    }

    /** Runs the child to its death; returns once it is gone and its every line read. */
    static void run(Class<?> main, Path dir, Consumer<String> onLine, BooleanSupplier killNow) throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), main.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            boolean killed = false;
            String line;
            while ((line = out.readLine()) != null) {
                onLine.accept(line);
                if (!killed && killNow.getAsBoolean()) {
                    killed = true;
                    child.toHandle().destroyForcibly();
                }
            }
        } finally {
            child.toHandle().destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
