package io.onramp.certs.tpm;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Fails with a clear message when swtpm or tpm2-tools are missing, instead of an obscure IOException later. */
final class TpmToolsCheck {

    private static final List<String> COMMANDS = List.of("swtpm", "tpm2_createek", "tpm2_createprimary",
            "tpm2_activatecredential", "tpm2_import", "tpm2_load", "tpm2_hmac", "tpm2_flushcontext");

    private TpmToolsCheck() {
    }

    static void requireInstalled() {
        List<String> missing = missing(System.getenv().getOrDefault("PATH", ""));
        if (!missing.isEmpty()) {
            throw new IllegalStateException("TPM tests need swtpm and tpm2-tools, but " + missing
                    + " are not on the PATH; install the Debian packages: apt-get install swtpm swtpm-tools"
                    + " tpm2-tools (.ci/run does this)");
        }
    }

    /** The commands the TPM tests run that none of the directories of {@code path} holds. */
    static List<String> missing(String path) {
        return COMMANDS.stream().filter(command -> !onPath(command, path)).toList();
    }

    private static boolean onPath(String command, String path) {
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
