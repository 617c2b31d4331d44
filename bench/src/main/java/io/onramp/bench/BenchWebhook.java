package io.onramp.bench;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A custom allocation webhook for the bench, as small as one can be: the JDK's HTTP server on loopback, on threads of
 * its own ({@code bench-webhook-N}, so the bench's CPU figures show its share), choosing each device's hub by the
 * hash of its registration ID among the hubs it is offered. What it costs is what a webhook on the same machine costs
 * the gateway: the call, its JSON both ways, and the wait.
 */
final class BenchWebhook implements AutoCloseable {

    static final String ADDRESS = "127.0.0.51";

    private final HttpServer server;
    private final ExecutorService threads;

    private BenchWebhook(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    static BenchWebhook start() throws IOException {
        // Without it the JDK's server sends the headers and the body as two segments, and the second waits for the
        // ACK of the first, which the client delays: 40 ms a call (measured: 724 registrations/s, cores 88 % idle).
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress(ADDRESS, 0), 1024);
        AtomicInteger count = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(2, task -> {
            Thread thread = new Thread(task, "bench-webhook-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(threads);
        server.createContext("/api/assign", exchange -> {
            JsonObject request;
            try (InputStream in = exchange.getRequestBody()) {
                request = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            String id = request.getJsonObject("deviceRuntimeContext").getString("registrationId");
            var hubs = request.getJsonArray("linkedHubs");
            String hub = hubs.getString(Math.floorMod(id.hashCode(), hubs.size()));
            byte[] answer = new JsonObject().put("iotHubHostName", hub).encode().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
        return new BenchWebhook(server, threads);
    }

    String url() {
        return "http://" + ADDRESS + ":" + server.getAddress().getPort() + "/api/assign?code=bench";
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
