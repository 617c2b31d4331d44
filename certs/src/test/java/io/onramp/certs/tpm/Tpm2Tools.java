package io.onramp.certs.tpm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs tpm2-tools 5.x commands against one TPM (its TCTI), in one working directory where relative file names
 * resolve. A command that exits non-zero or outlasts its timeout fails with its arguments, exit code and stderr.
 *
 * <p>There is no resource manager between the tools and swtpm, so transient objects and sessions a tool loads stay
 * loaded (swtpm holds three objects). {@link #flushTransients()} frees them; {@link SwtpmDevice} calls it after
 * each step.
 */
public final class Tpm2Tools {

    private static final long TIMEOUT_SECONDS = 60;

    private final String tcti;
    private final Path workDir;

    public Tpm2Tools(String tcti, Path workDir) {
        this.tcti = tcti;
        this.workDir = workDir;
    }

    /** Runs {@code command} (e.g. {@code "tpm2_readpublic", "-c", "0x81010001"}) and returns its stdout. */
    public String run(String... command) {
        List<String> args = List.of(command);
        try {
            Path out = Files.createTempFile(workDir, "tpm2-", ".out");
            Path err = Files.createTempFile(workDir, "tpm2-", ".err");
            try {
                ProcessBuilder builder = new ProcessBuilder(args).directory(workDir.toFile())
                        .redirectOutput(out.toFile()).redirectError(err.toFile());
                builder.environment().put("TPM2TOOLS_TCTI", tcti);
                Process process = builder.start();
                if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(args + " did not finish in " + TIMEOUT_SECONDS + " s");
                }
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(args + " exited with " + process.exitValue() + ": "
                            + Files.readString(err, StandardCharsets.UTF_8).strip());
                }
                return Files.readString(out, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + args, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + args, e);
        }
    }

    /** Flushes every loaded transient object and session (persistent objects stay). */
    public void flushTransients() {
        run("tpm2_flushcontext", "-t");
        run("tpm2_flushcontext", "-s");
    }

    /** A file in the working directory. */
    public Path file(String name) {
        return workDir.resolve(name);
    }

    public byte[] read(String name) {
        try {
            return Files.readAllBytes(file(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the parts, concatenated, to a file in the working directory. */
    public Path write(String name, byte[]... parts) {
        try {
            Path path = file(name);
            Files.write(path, concat(parts));
            return path;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }
}
