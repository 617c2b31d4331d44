package io.onramp.gateway.support;

import io.onramp.certs.sas.SasTokenSigner;
import io.onramp.certs.sas.SymmetricKeys;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;

/** A hand-driven DPS HTTPS client for the bad-input tests: every header and byte is the test's choice. */
public final class RawDps {

    public static final String API = "api-version=2019-03-31";

    private final String endpoint;
    private final HttpClient http;

    public RawDps(TestGateway gateway) {
        this(gateway, TestTls.trusting(gateway.caFile()));
    }

    /** With a TLS context of the test's own: e.g. one that presents an X.509 device's certificate. */
    public RawDps(TestGateway gateway, javax.net.ssl.SSLContext tls) {
        this(gateway.endpoint(), tls);
    }

    /** For a gateway at {@code endpoint} (host:port), e.g. one running in a process of its own. */
    public RawDps(String endpoint, javax.net.ssl.SSLContext tls) {
        this.endpoint = endpoint;
        this.http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();
    }

    public static String token(String idScope, String registrationId, String base64Key, long lifetimeSeconds) {
        return SasTokenSigner.sign(idScope + "/registrations/" + registrationId,
                Instant.now().getEpochSecond() + lifetimeSeconds, SymmetricKeys.decode(base64Key), "registration");
    }

    public static String token(String registrationId, String base64Key) {
        return token(TestGateway.ID_SCOPE, registrationId, base64Key, 3600);
    }

    public HttpResponse<String> register(String path, String authorization, String body) throws Exception {
        return send("PUT", path, authorization, body);
    }

    public HttpResponse<String> send(String method, String pathAndQuery, String authorization, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://" + endpoint + pathAndQuery))
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json; charset=utf-8")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Registers and polls (without waiting Retry-After) until the operation ends; returns the final body. */
    public JsonObject registerAndPoll(String registrationId, String authorization) throws Exception {
        String base = "/" + TestGateway.ID_SCOPE + "/registrations/" + registrationId;
        HttpResponse<String> accepted = register(base + "/register?" + API, authorization,
                new JsonObject().put("registrationId", registrationId).encode());
        if (accepted.statusCode() != 202) {
            throw new AssertionError("register answered " + accepted.statusCode() + ": " + accepted.body());
        }
        return poll(registrationId, new JsonObject(accepted.body()).getString("operationId"), authorization);
    }

    /** Polls (without waiting Retry-After) until the operation ends; returns the final body. */
    public JsonObject poll(String registrationId, String operationId, String authorization) throws Exception {
        String base = "/" + TestGateway.ID_SCOPE + "/registrations/" + registrationId;
        for (int i = 0; i < 100; i++) {
            HttpResponse<String> poll = send("GET", base + "/operations/" + operationId + "?" + API, authorization, null);
            if (poll.statusCode() == 200) {
                return new JsonObject(poll.body());
            }
            if (poll.statusCode() != 202) {
                throw new AssertionError("poll answered " + poll.statusCode() + ": " + poll.body());
            }
            Thread.sleep(50);
        }
        throw new AssertionError("operation " + operationId + " did not end");
    }
}
