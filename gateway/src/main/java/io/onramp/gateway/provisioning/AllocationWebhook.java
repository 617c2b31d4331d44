package io.onramp.gateway.provisioning;

import io.onramp.gateway.config.GatewayConfig.AllocationWebhookConfig;
import io.onramp.gateway.hub.LinkedHubFailure;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP side of custom allocation (dps-service-api 12.4): POSTs an allocation request to an enrollment's webhook
 * and brings back its answer's bytes. Redirects are not followed, an https webhook's certificate must chain to the
 * configured CA (or the JVM's trust store) and name its host, and the whole exchange, connecting included, has one
 * deadline. Failures say what went wrong without the URL: an Azure Function carries its key in it ({@code ?code=}).
 */
public final class AllocationWebhook implements AutoCloseable {

    /** Twins and payloads are small; a larger answer is a webhook gone wrong, not one to buffer. */
    static final int MAX_ANSWER_BYTES = 256 * 1024;
    /**
     * Calls in flight per webhook host: many devices of one enrollment may register at once, and a webhook that takes
     * 50 ms answers at most this many calls per 50 ms (a line of 10,000 devices booting at once: 4 s at 128).
     */
    private static final int CONNECTIONS_PER_HOST = 128;

    private final HttpClient http;
    private final Duration timeout;

    public AllocationWebhook(Vertx vertx, AllocationWebhookConfig config) {
        this.timeout = config.timeout();
        int millis = (int) Math.min(Integer.MAX_VALUE / 2, timeout.toMillis());
        // The idle timeout closes a connection a call left hanging, after the call's own deadline: equal to it, the
        // close raced the deadline and a slow webhook was told as "Connection was closed" (CustomAllocationIT, once).
        HttpClientOptions options = new HttpClientOptions().setVerifyHost(true).setConnectTimeout(millis)
                .setIdleTimeout(millis + Math.max(1000, millis / 2)).setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
        if (config.caCertificate() != null) {
            options.setTrustOptions(new PemTrustOptions().addCertPath(config.caCertificate().toString()));
        }
        this.http = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(CONNECTIONS_PER_HOST));
    }

    /** Why a call brought no usable answer, in words fit for the device's registration state. */
    public static final class CallFailed extends RuntimeException {
        CallFailed(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    /** The webhook's 2xx answer body; fails with {@link CallFailed} on anything else. */
    public Future<Buffer> call(String webhookUrl, JsonObject request) {
        RequestOptions options;
        try {
            options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(webhookUrl).setFollowRedirects(false)
                    .putHeader("Content-Type", "application/json; charset=utf-8").putHeader("Accept", "application/json");
        } catch (RuntimeException e) {
            // Checked as an http(s) URL when the enrollment was written; what Vert.x still refuses fails this call only.
            return Future.failedFuture(new CallFailed("its URL cannot be called (" + e.getClass().getSimpleName() + ")", e));
        }
        Future<Buffer> answer = http.request(options)
                .compose(req -> req.send(request.toBuffer()))
                .compose(AllocationWebhook::answer);
        // A deadline on the future rather than RequestOptions.setTimeout, whose timer races the connection pool
        // (see HubRestClient); the idle timeout closes a connection left hanging.
        return answer.timeout(timeout.toMillis(), TimeUnit.MILLISECONDS).recover(failure -> Future.failedFuture(
                failure instanceof CallFailed ? failure : new CallFailed(why(failure), failure)));
    }

    private static Future<Buffer> answer(HttpClientResponse response) {
        if (response.statusCode() / 100 != 2) {
            response.end();
            return Future.failedFuture(new CallFailed("it answered HTTP " + response.statusCode(), null));
        }
        String length = response.getHeader("Content-Length");
        if (length != null && tooLong(length)) {
            response.request().reset();
            return Future.failedFuture(tooLarge());
        }
        Promise<Buffer> body = Promise.promise();
        Buffer bytes = Buffer.buffer();
        response.handler(chunk -> {
            if (bytes.length() + chunk.length() > MAX_ANSWER_BYTES) {
                body.tryFail(tooLarge());
                response.request().reset();
            } else {
                bytes.appendBuffer(chunk);
            }
        });
        response.exceptionHandler(body::tryFail);
        response.endHandler(v -> body.tryComplete(bytes));
        return body.future();
    }

    private static boolean tooLong(String length) {
        try {
            return Long.parseLong(length.trim()) > MAX_ANSWER_BYTES;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static CallFailed tooLarge() {
        return new CallFailed("its answer is larger than " + MAX_ANSWER_BYTES / 1024 + " KiB", null);
    }

    private String why(Throwable failure) {
        if (failure instanceof TimeoutException || failure instanceof io.netty.channel.ConnectTimeoutException) {
            return "it did not answer within " + timeout.toSeconds() + " s";
        }
        if (failure instanceof javax.net.ssl.SSLException) {
            return "TLS with it failed (" + failure.getMessage() + ")";
        }
        if (failure instanceof java.net.ConnectException refused) {
            return "it could not be reached (" + LinkedHubFailure.connectReason(refused) + ")";
        }
        return "the call failed (" + failure.getClass().getSimpleName()
                + (failure.getMessage() == null ? "" : ": " + failure.getMessage()) + ")";
    }

    @Override
    public void close() {
        http.close();
    }
}
