package io.onramp.bench.mqtt;

import io.onramp.certs.ca.LocalPki;
import io.onramp.certs.sas.SasTokenSigner;
import io.onramp.certs.sas.SymmetricKeys;
import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Onramp as users run it: the shaded jar in its own JVM, with a config made for the bench (one
 * hub on its own loopback address, plain and TLS MQTT). Devices are created through the hub's
 * registry API and log in as Azure devices do, with SAS tokens signed by their keys.
 */
final class OnrampProcess implements BrokerUnderTest {

    static final String HOST = "127.0.0.60";
    private static final int PLAIN = 1883;
    private static final int TLS = 8883;
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

    private final Process process;
    private final File caFile;
    private final int httpsPort;
    private final byte[] ownerKey = SymmetricKeys.decode(SymmetricKeys.generate());
    private final byte[] deviceKey = SymmetricKeys.decode(SymmetricKeys.generate());
    private final long expiry = Instant.now().plusSeconds(24 * 3600).getEpochSecond();
    private final List<String> passwords = new ArrayList<>();

    OnrampProcess(Path workDir, LocalPki.Files pki, Path jar, List<String> jvmOptions) throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            httpsPort = socket.getLocalPort();
        }
        Path config = workDir.resolve("onramp-bench.yaml");
        Files.writeString(config, """
            idScope: 0ne0000BEC1
            dataDir: %s
            listen: { address: %s, https: %d, mqtts: %d, amqps: -1, mqtt: %d }
            tls: { certificate: %s, privateKey: %s }
            hubs:
              - { name: bench, hostName: %s, ownerKey: %s }
            """.formatted(workDir.resolve("onramp-data"), HOST, httpsPort, TLS, PLAIN, pki.serverCertificateChain(),
                pki.serverPrivateKey(), HOST, java.util.Base64.getEncoder().encodeToString(ownerKey)));
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java")));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString(), "start", "--config", config.toString()));
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(workDir.resolve("onramp.log").toFile()).start();
        Processes.awaitPort(HOST, PLAIN, process, 90_000);
        Processes.awaitPort(HOST, TLS, process, 10_000);
        caFile = pki.caCertificate().toFile();
    }

    @Override
    public void prepareDevices(int count) throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(trusting()).build();
        String token = SasTokenSigner.sign(HOST, expiry, ownerKey, "iothubowner");
        String key = java.util.Base64.getEncoder().encodeToString(deviceKey);
        Semaphore inFlight = new Semaphore(64);
        List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
        for (int i = passwords.size(); i < count; i++) {
            String id = deviceId(i);
            passwords.add(SasTokenSigner.sign(HOST + "/devices/" + id, expiry, deviceKey, null));
            inFlight.acquire();
            HttpRequest request = HttpRequest.newBuilder(URI.create("https://" + HOST + ":" + httpsPort + "/devices/" + id
                            + "?api-version=2021-04-12"))
                    .header("Authorization", token).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"deviceId\":\"" + id + "\",\"authentication\":{\"type\":\"sas\","
                            + "\"symmetricKey\":{\"primaryKey\":\"" + key + "\",\"secondaryKey\":\"" + key + "\"}}}"))
                    .build();
            all.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((r, e) -> inFlight.release()));
        }
        for (CompletableFuture<HttpResponse<String>> response : all) {
            HttpResponse<String> r = response.get();
            if (r.statusCode() != 200 && r.statusCode() != 409) {
                throw new IllegalStateException("device creation failed: " + r.statusCode() + " " + r.body());
            }
        }
    }

    private javax.net.ssl.SSLContext trusting() throws Exception {
        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", io.onramp.certs.pem.PemReader.readCertificates(caFile.toPath()).get(0));
        javax.net.ssl.TrustManagerFactory factory = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    @Override
    public String name() {
        return "onramp";
    }

    @Override
    public String host() {
        return HOST;
    }

    @Override
    public int plainPort() {
        return PLAIN;
    }

    @Override
    public int tlsPort() {
        return TLS;
    }

    @Override
    public File caFile() {
        return caFile;
    }

    @Override
    public String deviceId(int i) {
        return "dev-" + i;
    }

    @Override
    public String deviceUser(int i) {
        return HOST + "/" + deviceId(i) + "/?api-version=2021-04-12";
    }

    @Override
    public String devicePassword(int i) {
        return passwords.get(i);
    }

    @Override
    public String consumerUser() {
        return HOST + "/$service";
    }

    @Override
    public String consumerPassword() {
        return SasTokenSigner.sign(HOST, expiry, ownerKey, "iothubowner");
    }

    /** Heap in use after a full collection, as jcmd reports it. */
    @Override
    public long memoryBytes() throws Exception {
        String pid = Long.toString(process.pid());
        Processes.run("jcmd", pid, "GC.run");
        Thread.sleep(500);
        Processes.run("jcmd", pid, "GC.run");
        Matcher used = HEAP_USED.matcher(Processes.run("jcmd", pid, "GC.heap_info"));
        if (!used.find()) {
            throw new IllegalStateException("no heap figure from jcmd");
        }
        return Long.parseLong(used.group(1)) * 1024;
    }

    @Override
    public String memoryKind() {
        return "heap";
    }

    @Override
    public void close() {
        Processes.stop(process);
    }
}
