package io.onramp.bench.enrollments;

import io.onramp.certs.sas.SasTokenSigner;
import io.onramp.certs.sas.SymmetricKeys;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Pages through {@code POST /enrollments/query} ("SELECT *") one page after the other over one
 * keep-alive connection, as the CLI's list and export do, timing each page from request to body.
 */
final class QueryPager {

    /** Milliseconds of each page in order, the gateway's CPU milliseconds for each, and the items counted. */
    record Result(List<Double> pageMillis, List<Double> pageCpuMillis, long items, double seconds) {}

    /** A reading of the gateway's CPU time so far, in nanoseconds. */
    interface CpuClock {
        long nanos() throws Exception;
    }

    private static final long SLOW_PAGE_MS = 15_000;

    private QueryPager() {}

    /** Pages through the query; {@code maxPages} 0 means to its end. */
    static Result pageAll(ScaleGateway gateway, int pageSize, int maxPages, CpuClock cpu, Runnable slowPage)
            throws Exception {
        Vertx vertx = Vertx.vertx();
        boolean[] reported = {false};
        try {
            Context loop = vertx.getOrCreateContext();
            HttpClient http = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setVerifyHost(true)
                    .setKeepAlive(true).setTrustOptions(new PemTrustOptions().addCertPath(gateway.caFile().toString())));
            String token = SasTokenSigner.sign(ScaleGateway.HOST, Instant.now().plusSeconds(24 * 3600).getEpochSecond(),
                    SymmetricKeys.decode(gateway.policyKey()), ScaleGateway.POLICY);
            String body = new JsonObject().put("query", "SELECT * FROM enrollments").encode();
            List<Double> times = new ArrayList<>();
            List<Double> cpuTimes = new ArrayList<>();
            long items = 0;
            String continuation = null;
            long started = System.nanoTime();
            do {
                RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setHost(ScaleGateway.HOST)
                        .setPort(gateway.httpsPort()).setURI("/enrollments/query?api-version=2021-10-01")
                        .putHeader("Authorization", token).putHeader("Content-Type", "application/json")
                        .putHeader("x-ms-max-item-count", Integer.toString(pageSize)).setTimeout(600_000);
                if (continuation != null) {
                    request.putHeader("x-ms-continuation", continuation);
                }
                long cpu0 = cpu.nanos();
                long t0 = System.nanoTime();
                // The first page slower than SLOW_PAGE_MS: the caller says what the gateway was doing.
                long watchdog = vertx.setTimer(SLOW_PAGE_MS, t -> {
                    if (!reported[0]) {
                        reported[0] = true;
                        new Thread(slowPage, "slow-page-report").start();
                    }
                });
                HttpClientResponse[] response = new HttpClientResponse[1];
                // Sent from the client's event loop: driven from this thread, the Vert.x client now and
                // then never wrote a request (the gateway's CLI had the same hang; see its EventLoopCall).
                Promise<Buffer> pageRead = Promise.promise();
                loop.runOnContext(v -> http.request(request).compose(r -> r.send(body)).compose(r -> {
                    response[0] = r;
                    return r.body();
                }).onComplete(pageRead));
                var page = pageRead.future().toCompletionStage().toCompletableFuture().get(600, TimeUnit.SECONDS);
                vertx.cancelTimer(watchdog);
                times.add((System.nanoTime() - t0) / 1e6);
                cpuTimes.add((cpu.nanos() - cpu0) / 1e6);
                if (response[0].statusCode() != 200) {
                    throw new IllegalStateException("query page " + times.size() + ": HTTP " + response[0].statusCode()
                            + " " + page);
                }
                items += new JsonArray(page).size();
                continuation = response[0].getHeader("x-ms-continuation");
            } while (continuation != null && (maxPages == 0 || times.size() < maxPages));
            return new Result(times, cpuTimes, items, (System.nanoTime() - started) / 1e9);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }
}
