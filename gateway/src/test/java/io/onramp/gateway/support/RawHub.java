package io.onramp.gateway.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.certs.sas.SasTokenSigner;
import io.onramp.certs.sas.SymmetricKeys;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** A hand-driven client of the hub registry REST API: every header and byte is the test's choice. */
public final class RawHub {

    public static final String API = "api-version=2021-04-12";
    public static final String OWNER = "iothubowner";

    private final String base;
    private final HttpClient http;

    /** Over HTTPS, trusting the gateway's CA. */
    public RawHub(String hostAndPort, Path caFile) {
        this.base = "https://" + hostAndPort;
        this.http = HttpClient.newBuilder().sslContext(TestTls.trusting(caFile)).connectTimeout(Duration.ofSeconds(10)).build();
    }

    private RawHub(String hostAndPort) {
        this.base = "http://" + hostAndPort;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Over plain HTTP, for endpoint tests without TLS. */
    public static RawHub overHttp(String hostAndPort) {
        return new RawHub(hostAndPort);
    }

    /** A service token as the SDKs sign it: sr = hub host name, skn = policy. */
    public static String token(String hub, String base64Key, String policy) {
        return SasTokenSigner.sign(hub, Instant.now().getEpochSecond() + 600, SymmetricKeys.decode(base64Key), policy);
    }

    /** {@code headers} are name, value pairs; a Content-Type among them replaces the JSON one. */
    public HttpResponse<String> send(String method, String path, String token, String body, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path + (path.contains("?") ? "&" : "?") + API))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json; charset=utf-8");
        }
        if (token != null) {
            request.header("Authorization", token);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.setHeader(headers[i], headers[i + 1]);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The IoT Hub error body the service SDKs parse: {@code Message} with {@code ErrorCode:<code>;}, and a tracking ID. */
    public static void assertHubError(HttpResponse<String> response, int status, String errorCode) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        assertThat(response.headers().firstValue("iothub-errorcode")).hasValue(errorCode);
        JsonObject body = new JsonObject(response.body());
        assertThat(body.getString("Message")).startsWith("ErrorCode:" + errorCode + ";").hasSizeGreaterThan(errorCode.length() + 12);
        assertThat(body.getString("ExceptionMessage")).matches("Tracking ID:[0-9a-f]{32}-TimeStamp:\\d\\d/\\d\\d/\\d{4} \\d\\d:\\d\\d:\\d\\d");
    }

    /** Registers a device that authenticates with SAS, {@code key} its primary and secondary key; 200 expected. */
    public void createSasDevice(String token, String deviceId, String key) throws Exception {
        HttpResponse<String> created = send("PUT", "/devices/" + deviceId, token, new JsonObject()
                .put("deviceId", deviceId).put("authentication", new JsonObject().put("type", "sas")
                        .put("symmetricKey", new JsonObject().put("primaryKey", key).put("secondaryKey", key)))
                .encode());
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    }

    /** Waits (10 s at most) until the registry counts {@code count} cloud-to-device messages waiting for the device. */
    public void awaitCloudToDeviceCount(String token, String deviceId, int count) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        int waiting;
        do {
            waiting = new JsonObject(send("GET", "/devices/" + deviceId, token, null).body())
                    .getInteger("cloudToDeviceMessageCount");
            if (waiting == count) {
                return;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < end);
        assertThat(waiting).as("messages waiting for " + deviceId).isEqualTo(count);
    }
}
