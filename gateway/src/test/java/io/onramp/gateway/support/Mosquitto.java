package io.onramp.gateway.support;

import io.onramp.certs.ca.LocalPki;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto broker (Debian's package; {@code .ci/run} installs it) on {@code address}: plain MQTT on 1883 and
 * MQTT over TLS on 8883 with a certificate of its own CA ({@link #caFile()}), one user with a password, sessions and
 * queued messages kept across a stop and start (persistence on), as a factory's upstream broker would be.
 */
public final class Mosquitto implements AutoCloseable {

    public static final int PLAIN_PORT = 1883;
    public static final int TLS_PORT = 8883;
    /** MQTT over TLS for clients with a certificate of {@code clientCa}: its common name is their user name. */
    public static final int CLIENT_CERT_PORT = 8884;

    private final Path dir;
    private final String address;
    private final LocalPki.Files tls;
    private Process process;

    private Mosquitto(Path dir, String address, LocalPki.Files tls) {
        this.dir = dir;
        this.address = address;
        this.tls = tls;
    }

    /** Starts a broker on {@code address} whose one user is {@code user} with {@code password}. */
    public static Mosquitto start(Path dir, String address, String user, String password) throws Exception {
        return start(dir, address, user, password, null);
    }

    /** The same, and with {@code clientCa} a listener on {@link #CLIENT_CERT_PORT} for clients with its certificates. */
    public static Mosquitto start(Path dir, String address, String user, String password, Path clientCa)
            throws Exception {
        LocalPki.Files tls = LocalPki.ensure(dir.resolve("tls"), List.of(address), Clock.systemUTC());
        Path passwords = dir.resolve("passwd");
        Files.writeString(passwords, "");
        run(List.of("mosquitto_passwd", "-b", passwords.toString(), user, password));
        Files.writeString(dir.resolve("mosquitto.conf"), """
                user root
                per_listener_settings false
                allow_anonymous false
                password_file %s
                persistence true
                persistence_location %s/
                autosave_interval 1
                max_queued_messages 100000
                log_dest file %s
                log_type error
                log_type warning
                log_type notice
                listener %d %s
                listener %d %s
                cafile %s
                certfile %s
                keyfile %s
                """.formatted(passwords, dir, dir.resolve("mosquitto.log"), PLAIN_PORT, address, TLS_PORT, address,
                tls.caCertificate(), tls.serverCertificateChain(), tls.serverPrivateKey())
                + (clientCa == null ? "" : """
                listener %d %s
                cafile %s
                certfile %s
                keyfile %s
                require_certificate true
                use_identity_as_username true
                """.formatted(CLIENT_CERT_PORT, address, clientCa, tls.serverCertificateChain(), tls.serverPrivateKey())));
        Mosquitto mosquitto = new Mosquitto(dir, address, tls);
        mosquitto.start();
        return mosquitto;
    }

    /** Starts it again after {@link #stop()}, with the sessions and messages it saved. */
    public void start() throws Exception {
        process = new ProcessBuilder("mosquitto", "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.out").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!accepts(PLAIN_PORT) || !accepts(TLS_PORT)) { // the client-certificate listener comes with them
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("mosquitto did not start on " + address + ": "
                        + Files.readString(dir.resolve("mosquitto.out")) + tail(dir.resolve("mosquitto.log")));
            }
            Thread.sleep(50);
        }
    }

    /** Stops it as a service manager would (SIGTERM: it saves its sessions and queued messages first). */
    public void stop() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    public Path caFile() {
        return tls.caCertificate();
    }

    public String address() {
        return address;
    }

    @Override
    public void close() throws Exception {
        stop();
    }

    private boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String tail(Path log) throws IOException {
        return Files.exists(log) ? Files.readString(log) : "";
    }

    private static void run(List<String> command) throws Exception {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException(command.get(0) + " is missing: install Debian's mosquitto package"
                    + " (.ci/run does)", e);
        }
        String output = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
        }
    }
}
