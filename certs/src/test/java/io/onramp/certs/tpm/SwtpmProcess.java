package io.onramp.certs.tpm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One swtpm TPM 2.0 simulator on loopback, with its own state directory and two free ports: the command port P and,
 * because the tss2 swtpm TCTI always talks to the control channel on P+1, the control port P+1. Started powered on
 * and with TPM2_Startup done. {@link #close()} stops exactly this process (by its PID).
 *
 * <p>Needs the Debian packages {@code swtpm swtpm-tools tpm2-tools}; {@code .ci/run} installs them. Without them
 * {@link #start} fails with a message that says so (the TPM tests are not optional).
 */
public final class SwtpmProcess implements AutoCloseable {

    private static final int START_ATTEMPTS = 5;
    private static final long READY_TIMEOUT_MS = 10_000;
    private static final String LOOPBACK = "127.0.0.1";

    private final Process process;
    private final String host;
    private final int port;
    private final Path log;

    private SwtpmProcess(Process process, String host, int port, Path log) {
        this.process = process;
        this.host = host;
        this.port = port;
        this.log = log;
    }

    /**
     * Starts swtpm with its state in {@code dir/state} and its output in {@code dir/swtpm.log}; returns once the
     * simulator accepts connections. A port taken between choosing and binding it is retried with other ports.
     */
    public static SwtpmProcess start(Path dir) {
        return start(dir, LOOPBACK);
    }

    /** {@link #start(Path)} on another loopback address: a test that may bind only its own addresses. */
    public static SwtpmProcess start(Path dir, String host) {
        TpmToolsCheck.requireInstalled();
        try {
            Path state = Files.createDirectories(dir.resolve("state"));
            Path log = dir.resolve("swtpm.log");
            String lastLog = "";
            for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
                int port = freePortPair(host);
                Process process = new ProcessBuilder(List.of("swtpm", "socket", "--tpm2",
                        "--server", "type=tcp,port=" + port + ",bindaddr=" + host,
                        "--ctrl", "type=tcp,port=" + (port + 1) + ",bindaddr=" + host,
                        "--tpmstate", "dir=" + state,
                        "--flags", "not-need-init,startup-clear"))
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
                SwtpmProcess swtpm = new SwtpmProcess(process, host, port, log);
                if (swtpm.awaitReady()) {
                    return swtpm;
                }
                swtpm.close();
                lastLog = Files.readString(log);
            }
            throw new IllegalStateException("swtpm did not start in " + START_ATTEMPTS + " attempts; last log: "
                    + lastLog);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start swtpm in " + dir, e);
        }
    }

    /** The {@code TPM2TOOLS_TCTI} / {@code TSS2_TCTI} value that reaches this simulator. */
    public String tcti() {
        return "swtpm:host=" + host + ",port=" + port;
    }

    /** The address the simulator listens on. */
    public String host() {
        return host;
    }

    /** The command port; the control port is {@code port() + 1}. */
    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    /** Stops this swtpm (SIGTERM, then SIGKILL after 5 s); idempotent. The state directory stays for the caller. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private boolean awaitReady() {
        long deadline = System.currentTimeMillis() + READY_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                return false;
            }
            // The control port answers without disturbing the command channel the tools will use.
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port + 1), 200);
                return true;
            } catch (IOException notYet) {
                pause();
            }
        }
        return false;
    }

    private static void pause() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for swtpm", e);
        }
    }

    /** A port P such that P and P+1 were both free on loopback a moment ago. */
    private static int freePortPair(String host) throws IOException {
        InetAddress loopback = InetAddress.getByName(host);
        for (int i = 0; i < 50; i++) {
            try (ServerSocket first = new ServerSocket(0, 1, loopback)) {
                int port = first.getLocalPort();
                if (port < 65535 && isFree(port + 1, loopback)) {
                    return port;
                }
            }
        }
        throw new IOException("no two adjacent free ports on " + host);
    }

    private static boolean isFree(int port, InetAddress address) {
        try (ServerSocket ignored = new ServerSocket(port, 1, address)) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}
