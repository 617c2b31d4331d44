package io.onramp.bench.x509;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code openssl s_server} processes as the reference: the same server certificate and key as the
 * gateways (ECDSA P-256), a client certificate required and verified against the bench's root
 * ({@code -Verify}, the device sends its intermediate), and {@code -rev} so that the device's line
 * comes back once the server has finished the handshake. s_server serves one connection at a time,
 * so the bench starts several, one port each, and the client spreads devices over them.
 */
final class OpensslServers implements AutoCloseable {

    private final List<Process> processes = new ArrayList<>();
    private final List<InetSocketAddress> endpoints = new ArrayList<>();
    private final String version;

    private OpensslServers(String version) {
        this.version = version;
    }

    static OpensslServers start(int count, String address, Path serverCertificate, Path serverChain, Path serverKey,
            Path clientRoot, Path log) throws Exception {
        OpensslServers servers = new OpensslServers(opensslVersion());
        try {
            for (int i = 0; i < count; i++) {
                int port;
                try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(address))) {
                    port = probe.getLocalPort();
                }
                Process process = new ProcessBuilder("openssl", "s_server", "-accept", address + ":" + port,
                        "-cert", serverCertificate.toString(), "-cert_chain", serverChain.toString(),
                        "-key", serverKey.toString(), "-Verify", "2", "-verify_return_error",
                        "-CAfile", clientRoot.toString(), "-num_tickets", "0", "-rev", "-quiet", "-verify_quiet")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                        .start();
                servers.processes.add(process);
                servers.endpoints.add(new InetSocketAddress(address, port));
                awaitListening(address, port, process);
            }
            return servers;
        } catch (Exception e) {
            servers.close();
            throw e;
        }
    }

    List<InetSocketAddress> endpoints() {
        return List.copyOf(endpoints);
    }

    List<Long> pids() {
        return processes.stream().map(Process::pid).toList();
    }

    String version() {
        return version;
    }

    private static void awaitListening(String address, int port, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("openssl s_server on port " + port + " exited with " + process.exitValue());
            }
            try (Socket socket = new Socket(address, port)) {
                return; // s_server drops this connection without a handshake and accepts the next
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("openssl s_server on port " + port + " did not listen within 10 s");
    }

    private static String opensslVersion() throws Exception {
        Process process = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
        String text = new String(process.getInputStream().readAllBytes()).trim();
        process.waitFor(5, TimeUnit.SECONDS);
        return text;
    }

    @Override
    public void close() {
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
