package io.onramp.bench;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/** The two device requests of a registration over HTTPS (spec 6.1), as an SDK sends them. */
final class DpsClient {

    /** An answer: status code and body, or why there was none. */
    record Reply(int status, Buffer body, Throwable failure) {}

    private static final CharSequence JSON = HttpHeaders.createOptimized("application/json; charset=utf-8");
    private static final CharSequence ACCEPT_JSON = HttpHeaders.createOptimized("application/json");
    private static final long TIMEOUT_MS = 10_000;

    private final HttpClient client;
    private final String host;
    private final int port;

    DpsClient(HttpClient client, String host, int port) {
        this.client = client;
        this.host = host;
        this.port = port;
    }

    Future<Reply> register(DeviceBatch devices, int i) {
        Buffer body = Buffer.buffer("{\"registrationId\":\"" + devices.id(i) + "\"}");
        return send(options(HttpMethod.PUT, devices.registerUri(i), devices.token(i)), body);
    }

    Future<Reply> poll(DeviceBatch devices, int i, String operationId) {
        return send(options(HttpMethod.GET, devices.pollUri(i, operationId), devices.token(i)), null);
    }

    private RequestOptions options(HttpMethod method, String uri, String token) {
        return new RequestOptions().setMethod(method).setHost(host).setPort(port).setURI(uri)
                .setConnectTimeout(TIMEOUT_MS).setIdleTimeout(TIMEOUT_MS)
                .putHeader(HttpHeaders.AUTHORIZATION, token)
                .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                .putHeader(HttpHeaders.ACCEPT, ACCEPT_JSON);
    }

    private Future<Reply> send(RequestOptions options, Buffer body) {
        return client.request(options)
                .compose(request -> body == null ? request.send() : request.send(body))
                .compose(response -> response.body().map(b -> new Reply(response.statusCode(), b, null)))
                .otherwise(failure -> new Reply(0, null, failure));
    }
}
