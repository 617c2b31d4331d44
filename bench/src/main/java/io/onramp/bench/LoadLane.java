package io.onramp.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import org.HdrHistogram.Histogram;

/**
 * One event loop's share of the load: its own HTTP client and connections, its slice of the devices
 * (every {@code stride}-th one) and its share of the concurrency. Single-threaded by construction,
 * so the counters and the histogram need no locking.
 */
final class LoadLane extends VerticleBase {

    /**
     * What one lane did in a round; {@code registerMicros} the successful registrations' time to their register
     * answer (202), a part of their latency: the gateway answers it once the registration is durable.
     */
    record Result(long succeeded, long requests, long endNanos, Histogram latencyMicros, Histogram registerMicros,
            ErrorTally errors) {}

    private static final long HIGHEST_LATENCY_MICROS = 120_000_000L;

    private final HttpClientOptions clientOptions;
    private final int connections;
    private final String threadName;
    private HttpClient client;

    LoadLane(HttpClientOptions clientOptions, int connections, String threadName) {
        this.clientOptions = clientOptions;
        this.connections = connections;
        this.threadName = threadName;
    }

    @Override
    public Future<?> start() {
        // All Vert.x instances name their threads alike; a name of our own tells the load generator's
        // CPU apart from the servers' in top -H, jstack and profiles.
        Thread.currentThread().setName(threadName);
        client = vertx.httpClientBuilder().with(clientOptions).with(new PoolOptions().setHttp1MaxSize(connections)).build();
        return Future.succeededFuture();
    }

    /**
     * Runs this lane's devices {@code first, first + stride, ...} against host:port with at most
     * {@code maxInFlight} at once; with {@code ratePerSecond > 0} they start at that rate, else
     * each as soon as a slot is free.
     */
    Future<Result> run(String host, int port, DeviceBatch devices, int first, int stride, int maxInFlight,
            double ratePerSecond) {
        Promise<Result> done = Promise.promise();
        Context context = this.context;
        context.runOnContext(v -> new Round(new DpsClient(client, host, port), devices, first, stride, maxInFlight,
                ratePerSecond, done).begin());
        return done.future();
    }

    /** The state of one round; lives on the lane's event loop only. */
    private final class Round {
        private final DpsClient dps;
        private final DeviceBatch devices;
        private final int stride;
        private final int maxInFlight;
        private final double ratePerSecond;
        private final Promise<Result> done;
        private final Histogram latency = new Histogram(HIGHEST_LATENCY_MICROS, 3);
        private final Histogram registerLatency = new Histogram(HIGHEST_LATENCY_MICROS, 3);
        private final ErrorTally errors = new ErrorTally();
        private final int total;
        private int nextIndex;
        private int issued;
        private int inFlight;
        private long succeeded;
        private long requests;
        private long startNanos;
        private long timer = -1;

        Round(DpsClient dps, DeviceBatch devices, int first, int stride, int maxInFlight, double ratePerSecond,
                Promise<Result> done) {
            this.dps = dps;
            this.devices = devices;
            this.stride = stride;
            this.maxInFlight = maxInFlight;
            this.ratePerSecond = ratePerSecond;
            this.done = done;
            this.nextIndex = first;
            this.total = first < devices.size() ? (devices.size() - first + stride - 1) / stride : 0;
        }

        void begin() {
            startNanos = System.nanoTime();
            if (total == 0) {
                finish();
            } else if (ratePerSecond > 0) {
                // A 1 ms tick is fine-grained enough for rates of thousands per second.
                timer = vertx.setPeriodic(1, 1, t -> startDue());
            } else {
                while (inFlight < maxInFlight && issued < total) {
                    start(System.nanoTime());
                }
            }
        }

        /** Fixed-rate mode: starts every registration whose time has come, as far as slots allow. */
        private void startDue() {
            long now = System.nanoTime();
            long due = Math.min(total, (long) ((now - startNanos) * ratePerSecond / 1e9) + 1);
            while (issued < due && inFlight < maxInFlight) {
                // Latency counts from when the registration was due, not from when a slot freed up.
                start(startNanos + (long) (issued * 1e9 / ratePerSecond));
            }
            if (issued == total && timer >= 0) {
                vertx.cancelTimer(timer);
                timer = -1;
            }
        }

        private void start(long fromNanos) {
            int index = nextIndex;
            nextIndex += stride;
            issued++;
            inFlight++;
            Registration registration = new Registration(vertx, dps, devices, index, fromNanos);
            registration.run().onSuccess(errorKind -> {
                inFlight--;
                requests += registration.requests();
                if (errorKind == null) {
                    succeeded++;
                    latency.recordValue(Math.min(HIGHEST_LATENCY_MICROS, (System.nanoTime() - fromNanos) / 1000));
                    registerLatency.recordValue(
                            Math.min(HIGHEST_LATENCY_MICROS, (registration.registerAnsweredNanos() - fromNanos) / 1000));
                } else {
                    errors.add(errorKind, registration.detail());
                }
                if (issued < total) {
                    if (ratePerSecond > 0) {
                        startDue();
                    } else {
                        start(System.nanoTime());
                    }
                } else if (inFlight == 0) {
                    finish();
                }
            });
        }

        private void finish() {
            done.complete(new Result(succeeded, requests, System.nanoTime(), latency, registerLatency, errors));
        }
    }
}
