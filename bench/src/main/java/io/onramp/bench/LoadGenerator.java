package io.onramp.bench;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemTrustOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Devices over HTTPS/1.1 keep-alive, trusting only the gateway's CA and checking the host name, as a
 * device would. The load is split into lanes, one per client event loop.
 */
final class LoadGenerator implements AutoCloseable {

    private final Vertx vertx;
    private final List<LoadLane> lanes;
    private final int concurrency;

    private LoadGenerator(Vertx vertx, List<LoadLane> lanes, int concurrency) {
        this.vertx = vertx;
        this.lanes = lanes;
        this.concurrency = concurrency;
    }

    static LoadGenerator start(Path caFile, int threads, int connections, int concurrency) throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(threads).setPreferNativeTransport(true));
        HttpClientOptions options = new HttpClientOptions().setSsl(true).setVerifyHost(true)
                .setTrustOptions(new PemTrustOptions().addCertPath(caFile.toString()))
                // The same engine as the server, so the client spends as little of the shared CPU as it can.
                .setSslEngineOptions(
                        OpenSSLEngineOptions.isAvailable() ? new OpenSSLEngineOptions() : new JdkSSLEngineOptions())
                .setProtocolVersion(HttpVersion.HTTP_1_1).setKeepAlive(true).setKeepAliveTimeout(600);
        List<LoadLane> lanes = new CopyOnWriteArrayList<>();
        vertx.deployVerticle(() -> {
                    int share = connections / threads + (lanes.size() < connections % threads ? 1 : 0);
                    LoadLane lane = new LoadLane(options, share, "bench-client-" + lanes.size());
                    lanes.add(lane);
                    return lane;
                }, new DeploymentOptions().setInstances(threads))
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        return new LoadGenerator(vertx, List.copyOf(lanes), concurrency);
    }

    /** Registers every device of the batch; {@code ratePerSecond} 0 means as fast as the target allows. */
    RoundResult run(Target target, String label, String host, int port, DeviceBatch devices, double ratePerSecond)
            throws Exception {
        int stride = lanes.size();
        List<Future<LoadLane.Result>> results = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < stride; i++) {
            int inFlight = Math.max(1, concurrency / stride + (i < concurrency % stride ? 1 : 0));
            results.add(lanes.get(i).run(host, port, devices, i, stride, inFlight, ratePerSecond / stride));
        }
        Future.all(results).toCompletionStage().toCompletableFuture().get(30, TimeUnit.MINUTES);
        long succeeded = 0;
        long requests = 0;
        long end = start;
        Histogram latency = new Histogram(3);
        Histogram registerLatency = new Histogram(3);
        ErrorTally errors = new ErrorTally();
        for (Future<LoadLane.Result> future : results) {
            LoadLane.Result lane = future.result();
            succeeded += lane.succeeded();
            requests += lane.requests();
            end = Math.max(end, lane.endNanos());
            latency.add(lane.latencyMicros());
            registerLatency.add(lane.registerMicros());
            errors.addAll(lane.errors());
        }
        return new RoundResult(target, label, ratePerSecond, succeeded, requests, end - start, latency, registerLatency,
                errors);
    }

    @Override
    public void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
