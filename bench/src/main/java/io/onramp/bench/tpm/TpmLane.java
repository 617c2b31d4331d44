package io.onramp.bench.tpm;

import io.onramp.certs.sas.SasTokenSigner;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * One client event loop's share of the TPM devices, over its own keep-alive connections: per device the challenge
 * (register without a token, 401 with {@code authenticationKey}), the activation in software on this event loop,
 * the register signed with the recovered key (202), and polls 1 ms apart until {@code 200 assigned}: {@link
 * Step#WHOLE}. A phased round splits that at the activation: {@link Step#CHALLENGE} stops at the 401 and keeps the
 * blob, {@link Step#SIGNED} starts from the token signed in between (see {@link Activations}).
 * Single-threaded by construction.
 */
final class TpmLane extends VerticleBase {

    /** What each device of a round does. */
    enum Step { WHOLE, CHALLENGE, SIGNED }

    record Result(long succeeded, long requests, long endNanos, Histogram latencyMicros, Map<String, Long> errors,
            Map<String, String> examples) {}

    private static final String API = "?api-version=2019-03-31";
    private static final long TIMEOUT_MS = 15_000;

    private final HttpClientOptions options;
    private final int connections;
    private final String threadName;
    private HttpClient client;
    volatile long threadId;

    TpmLane(HttpClientOptions options, int connections, String threadName) {
        this.options = options;
        this.connections = connections;
        this.threadName = threadName;
    }

    @Override
    public Future<?> start() {
        Thread.currentThread().setName(threadName);
        threadId = Thread.currentThread().getId();
        client = vertx.httpClientBuilder().with(options).with(new PoolOptions().setHttp1MaxSize(connections)).build();
        return Future.succeededFuture();
    }

    Future<Result> run(String host, int port, String idScope, TpmDevices devices, int first, int stride, int inFlight,
            Step step, Activations activations) {
        Promise<Result> done = Promise.promise();
        context.runOnContext(v -> new Round(host, port, idScope, devices, first, stride, inFlight, step, activations,
                done).begin());
        return done.future();
    }

    private final class Round {
        private final String host;
        private final int port;
        private final String idScope;
        private final TpmDevices devices;
        private final int stride;
        private final int maxInFlight;
        private final Step step;
        private final Activations activations;
        private final Promise<Result> done;
        private final Histogram latency = new Histogram(120_000_000L, 3);
        private final Map<String, Long> errors = new TreeMap<>();
        private final Map<String, String> examples = new TreeMap<>();
        private final int total;
        private int next;
        private int issued;
        private int inFlight;
        private long succeeded;
        private long requests;

        Round(String host, int port, String idScope, TpmDevices devices, int first, int stride, int maxInFlight,
                Step step, Activations activations, Promise<Result> done) {
            this.host = host;
            this.port = port;
            this.idScope = idScope;
            this.devices = devices;
            this.stride = stride;
            this.maxInFlight = maxInFlight;
            this.step = step;
            this.activations = activations;
            this.done = done;
            this.next = first;
            this.total = first < devices.size() ? (devices.size() - first + stride - 1) / stride : 0;
        }

        void begin() {
            if (total == 0) {
                finish();
            }
            while (inFlight < maxInFlight && issued < total) {
                startOne();
            }
        }

        private void startOne() {
            int index = next;
            next += stride;
            issued++;
            inFlight++;
            long from = System.nanoTime();
            register(index).onComplete(ar -> {
                inFlight--;
                if (ar.succeeded()) {
                    succeeded++;
                    latency.recordValue(Math.min(120_000_000L, (System.nanoTime() - from) / 1000));
                } else {
                    String message = String.valueOf(ar.cause().getMessage());
                    String kind = message.contains(":") ? message.substring(0, message.indexOf(':')) : message;
                    errors.merge(kind, 1L, Long::sum);
                    examples.putIfAbsent(kind, devices.id(index) + ": " + message);
                }
                if (issued < total) {
                    startOne();
                } else if (inFlight == 0) {
                    finish();
                }
            });
        }

        private Future<Void> register(int i) {
            String uri = "/" + idScope + "/registrations/" + devices.id(i);
            return switch (step) {
                case CHALLENGE -> challenge(i, uri).map(blob -> {
                    activations.challenged(i, blob);
                    return null;
                });
                case SIGNED -> {
                    String token = activations.token(i);
                    yield token == null ? Future.failedFuture("no token: challenge or activation failed")
                            : signed(i, uri, token);
                }
                case WHOLE -> challenge(i, uri).compose(blob -> {
                    String token;
                    try {
                        byte[] key = devices.tpm(i).activate(blob);
                        long expiry = Instant.now().getEpochSecond() + 3600;
                        token = SasTokenSigner.sign(idScope + "/registrations/" + devices.id(i), expiry, key,
                                "registration");
                    } catch (Exception e) {
                        return Future.failedFuture("activation: " + e.getMessage());
                    }
                    return signed(i, uri, token);
                });
            };
        }

        /** The register with EK and SRK and no token: answers the {@code authenticationKey} of the 401. */
        private Future<String> challenge(int i, String uri) {
            Buffer body = Buffer.buffer(devices.registerBody(i));
            return send(HttpMethod.PUT, uri + "/register" + API, null, body).compose(challenge -> {
                if (challenge.status != 401) {
                    return fail("challenge status " + challenge.status, challenge.body);
                }
                String blob = new JsonObject(challenge.body).getString("authenticationKey");
                return blob == null ? fail("challenge without authenticationKey", challenge.body)
                        : Future.succeededFuture(blob);
            });
        }

        /** The same register signed with the recovered key (202), then polls until assigned. */
        private Future<Void> signed(int i, String uri, String token) {
            Buffer body = Buffer.buffer(devices.registerBody(i));
            return send(HttpMethod.PUT, uri + "/register" + API, token, body).compose(accepted -> {
                if (accepted.status != 202) {
                    return fail("register status " + accepted.status, accepted.body);
                }
                String operationId = new JsonObject(accepted.body).getString("operationId");
                return poll(uri + "/operations/" + operationId + API, token);
            });
        }

        private Future<Void> poll(String uri, String token) {
            return send(HttpMethod.GET, uri, token, null).compose(reply -> {
                if (reply.status == 200) {
                    String status = new JsonObject(reply.body).getString("status");
                    return "assigned".equals(status) ? Future.succeededFuture() : fail("final status " + status,
                            reply.body);
                }
                if (reply.status != 202) {
                    return fail("poll status " + reply.status, reply.body);
                }
                Promise<Void> later = Promise.promise();
                vertx.setTimer(1, t -> poll(uri, token).onComplete(later));
                return later.future();
            });
        }

        private <T> Future<T> fail(String kind, String body) {
            return Future.failedFuture(kind + ": " + (body.length() > 200 ? body.substring(0, 200) : body));
        }

        private record Reply(int status, String body) {}

        private Future<Reply> send(HttpMethod method, String uri, String token, Buffer body) {
            RequestOptions request = new RequestOptions().setMethod(method).setHost(host).setPort(port).setURI(uri)
                    .setConnectTimeout(TIMEOUT_MS).setIdleTimeout(TIMEOUT_MS)
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json; charset=utf-8")
                    .putHeader(HttpHeaders.ACCEPT, "application/json");
            if (token != null) {
                request.putHeader(HttpHeaders.AUTHORIZATION, token);
            }
            requests++;
            return client.request(request)
                    .compose(r -> body == null ? r.send() : r.send(body))
                    .compose(response -> response.body().map(b -> new Reply(response.statusCode(), b.toString())))
                    .recover(failure -> Future.failedFuture("transport: " + failure));
        }

        private void finish() {
            done.complete(new Result(succeeded, requests, System.nanoTime(), latency, errors, examples));
        }
    }
}
