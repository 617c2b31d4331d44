package io.onramp.gateway.cli;

import io.onramp.certs.sas.SasTokenSigner;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.config.GatewayConfig;
import io.onramp.gateway.config.GatewayConfig.AccessPolicy;
import io.onramp.gateway.config.GatewayConfig.Right;
import io.onramp.gateway.hub.HubRestClient;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The command line's client of this gateway's DPS service API, signed with an access policy from
 * the config file that holds every right the commands use, trusting the gateway's CA.
 */
final class ServiceApiClient implements AutoCloseable {

    static final String API_VERSION = "2021-10-01";
    /** RFC 3986's pchar without the percent (unreserved, sub-delims, ':', '@'), and '/' between segments. */
    /** A download is forced to the disk this often (SyncingFileStream). */
    static final long FORCE_EVERY_BYTES = 32L << 20;
    private static final String PATH_CHARACTERS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@/";
    private static final String HEX = "0123456789ABCDEF";
    private static final long TOKEN_LIFETIME_SECONDS = 3600;
    private static final long REQUEST_TIMEOUT_SECONDS = 60;

    /** A response: status, headers, body. Failures (non-2xx) come as {@link ServiceApiException}. */
    record Response(int status, MultiMap headers, Buffer body) {
        JsonObject json() {
            return new JsonObject(body);
        }
    }

    static final class ServiceApiException extends RuntimeException {
        final int status;

        ServiceApiException(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }
    }

    /** The one event loop every exchange runs on; see {@link #send}. */
    private final Context context;
    private final HttpClient http;
    private final Clock clock = Clock.systemUTC();
    private final String host;
    private final int port;
    private final AccessPolicy policy;
    private final Path trustedCa;

    private ServiceApiClient(Vertx vertx, HttpClient http, String host, int port, AccessPolicy policy, Path trustedCa) {
        this.context = vertx.getOrCreateContext();
        this.http = http;
        this.host = host;
        this.port = port;
        this.policy = policy;
        this.trustedCa = trustedCa;
    }

    static ServiceApiClient open(Vertx vertx, GatewayConfig config) {
        return open(vertx, config, java.util.List.of(Right.EnrollmentWrite, Right.RegistrationStatusWrite));
    }

    /** Signed with the first access policy of the config file that holds every one of {@code rights}. */
    static ServiceApiClient open(Vertx vertx, GatewayConfig config, java.util.List<Right> rights) {
        AccessPolicy policy = config.accessPolicies().stream()
                .filter(p -> p.rights().containsAll(rights))
                .findFirst()
                .orElseThrow(() -> new CommandException("no access policy in the config file has the rights "
                        + rights + " the command needs"));
        String address = LocalGateway.address(config);
        Path trust = LocalGateway.trustedCa(config);
        HttpClientOptions options = new HttpClientOptions().setSsl(true).setVerifyHost(true).setConnectTimeout(10_000)
                .setTrustOptions(new PemTrustOptions().addCertPath(trust.toString()));
        // Imports keep several bulk operations in flight.
        return new ServiceApiClient(vertx, vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(16)), address,
                config.listen().https(), policy, trust);
    }

    /**
     * An API path of these segments, each escaped: {@code path("enrollments", "a/b")} is
     * {@code /enrollments/a%2Fb}, so an ID with a space, slash or '?' names that one resource.
     */
    static String path(String... segments) {
        StringBuilder path = new StringBuilder();
        for (String segment : segments) {
            path.append('/').append(HubRestClient.segment(segment));
        }
        return path.toString();
    }

    /**
     * One exchange, run on the client's event loop whatever thread asks (see {@link EventLoopCall}).
     * {@code path} is best built with {@link #path}; characters a URI path cannot hold that are left in
     * it (a space, '?', '#') are escaped here, so no ID makes the request fail before it is sent.
     */
    Future<Response> send(HttpMethod method, String path, JsonObject body, Map<String, String> headers) {
        // One deadline for the whole exchange: connection, request and body.
        return EventLoopCall.on(context, () -> exchange(method, escapeIllegal(path), body, headers))
                .timeout(REQUEST_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * The path with every character RFC 3986 does not allow in a path percent-encoded; what is
     * allowed ('/', and '%' starting an escape) is left as is, so an escaped path is not escaped twice.
     */
    static String escapeIllegal(String path) {
        StringBuilder escaped = new StringBuilder();
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            boolean escape = b == '%' ? !(i + 2 < bytes.length && hex(bytes[i + 1]) && hex(bytes[i + 2]))
                    : b >= 0x80 || PATH_CHARACTERS.indexOf(b) < 0;
            if (escape) {
                escaped.append('%').append(HEX.charAt(b >> 4)).append(HEX.charAt(b & 0xf));
            } else {
                escaped.append((char) b);
            }
        }
        return escaped.toString();
    }

    private static boolean hex(byte b) {
        return HEX.indexOf(Character.toUpperCase((char) b)) >= 0;
    }

    private Future<Response> exchange(HttpMethod method, String path, JsonObject body, Map<String, String> headers) {
        RequestOptions request = signed(method, path).putHeader("Accept", "application/json");
        headers.forEach(request::putHeader);
        return request(request)
                .compose(req -> body == null ? req.send()
                        : req.putHeader("Content-Type", "application/json; charset=utf-8").send(body.toBuffer()))
                .compose(response -> response.body().map(bytes -> {
                    if (response.statusCode() / 100 != 2) {
                        throw new ServiceApiException(response.statusCode(), message(response.statusCode(), bytes));
                    }
                    return new Response(response.statusCode(), response.headers(), bytes);
                }));
    }

    /**
     * A POST whose answer body is written to {@code file} as it comes (a store backup can be gigabytes: it is never
     * held whole in memory), and to the disk every {@link #FORCE_EVERY_BYTES}; the caller forces the rest once it has
     * come. {@code file} must exist (created owner-only by the caller); it is truncated first.
     * No deadline for the whole exchange, only for a pause: a large body takes as long as it takes.
     */
    Future<Void> download(String path, Path file) {
        return EventLoopCall.on(context, () -> {
            RequestOptions request = signed(HttpMethod.POST, path)
                    .setIdleTimeout(TimeUnit.SECONDS.toMillis(REQUEST_TIMEOUT_SECONDS));
            return request(request).compose(req -> req.send()).compose(response -> {
                if (response.statusCode() / 100 != 2) {
                    return response.body().compose(bytes -> Future.failedFuture(
                            new ServiceApiException(response.statusCode(), message(response.statusCode(), bytes))));
                }
                response.pause(); // until the file is open: pipeTo resumes it
                OpenOptions options = new OpenOptions().setWrite(true).setCreate(false).setTruncateExisting(true);
                return context.owner().fileSystem().open(file.toString(), options)
                        .compose(out -> response.pipeTo(new SyncingFileStream(out, FORCE_EVERY_BYTES)));
            });
        });
    }

    /** A request to the gateway's {@code path}, signed with the policy's key. */
    private RequestOptions signed(HttpMethod method, String path) {
        String token = SasTokenSigner.sign(host, clock.instant().getEpochSecond() + TOKEN_LIFETIME_SECONDS,
                SymmetricKeys.decode(policy.primaryKey()), policy.name());
        return new RequestOptions().setMethod(method).setHost(host).setPort(port)
                .setURI(path + "?api-version=" + API_VERSION).putHeader("Authorization", token);
    }

    /** A connection to the gateway; a failed TLS handshake comes back in words ({@link TlsFailure}). */
    private Future<HttpClientRequest> request(RequestOptions options) {
        return http.request(options).recover(e -> Future.failedFuture(TlsFailure.explain(e, host, port, trustedCa)));
    }

    /** The DPS error body's message, or the status. */
    private static String message(int status, Buffer body) {
        try {
            String message = new JsonObject(body).getString("message");
            return message == null ? "HTTP " + status : message;
        } catch (DecodeException | ClassCastException e) {
            return "HTTP " + status;
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
