package io.onramp.gateway.support;

import io.onramp.certs.pem.PemWriter;
import io.onramp.certs.sas.SasTokenSigner;
import io.onramp.certs.sas.SymmetricKeys;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;

/**
 * The admin API for CA certificates (dps-service-api §11.2) by hand: every call signed with one
 * access policy, as the service SDKs sign theirs, with the If-Match a call is given.
 */
public final class AdminApi {

    public static final String API = "?api-version=2021-10-01";

    private final TestGateway gateway;
    private final String policy;
    private final String key;
    private final HttpClient http;

    /** The name of {@link #ownerPolicy}'s policy. */
    public static final String OWNER = "owner";

    /**
     * Config lines for a gateway run by an operator with one policy, {@link #OWNER}, holding {@code key} and the
     * rights the CA certificate commands need: {@code TestGateway.start(address, data, AdminApi.ownerPolicy(key))}.
     */
    public static String ownerPolicy(String key) {
        return """
            accessPolicies:
              - { name: %s, primaryKey: %s, rights: [ServiceConfig, EnrollmentWrite, RegistrationStatusWrite] }
            """.formatted(OWNER, key);
    }

    /** The CA certificate API through {@link #ownerPolicy}. */
    public static AdminApi asOwner(TestGateway gateway, String key) {
        return new AdminApi(gateway, OWNER, key);
    }

    public AdminApi(TestGateway gateway, String policy, String key) {
        this.gateway = gateway;
        this.policy = policy;
        this.key = key;
        this.http = HttpClient.newBuilder().sslContext(TestTls.trusting(gateway.caFile()))
                .connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** The same gateway through another policy (or none: null). */
    public AdminApi as(String otherPolicy, String otherKey) {
        return new AdminApi(gateway, otherPolicy, otherKey);
    }

    public HttpResponse<String> upload(String name, X509Certificate certificate, boolean verified) throws Exception {
        return put(name, new JsonObject().put("certificate", PemWriter.toPem(certificate)).put("isVerified", verified).encode(),
                null);
    }

    public HttpResponse<String> put(String name, String body, String ifMatch) throws Exception {
        return send("PUT", "/admin/certificates/" + name, body, ifMatch);
    }

    public HttpResponse<String> get(String name) throws Exception {
        return send("GET", "/admin/certificates/" + name, null, null);
    }

    public HttpResponse<String> list() throws Exception {
        return send("GET", "/admin/certificates", null, null);
    }

    public HttpResponse<String> delete(String name, String ifMatch) throws Exception {
        return send("DELETE", "/admin/certificates/" + name, null, ifMatch);
    }

    public HttpResponse<String> generateCode(String name, String ifMatch) throws Exception {
        return send("POST", "/admin/certificates/" + name + "/generateVerificationCode", null, ifMatch);
    }

    public HttpResponse<String> verify(String name, X509Certificate verification, String ifMatch) throws Exception {
        return send("POST", "/admin/certificates/" + name + "/verify",
                new JsonObject().put("certificate", PemWriter.toPem(verification)).encode(), ifMatch);
    }

    public HttpResponse<String> send(String method, String path, String body, String ifMatch) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://" + gateway.endpoint() + path + API))
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", "application/json; charset=utf-8")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (policy != null) {
            request.header("Authorization", SasTokenSigner.sign(gateway.address(), Instant.now().getEpochSecond() + 600,
                    SymmetricKeys.decode(key), policy));
        }
        if (ifMatch != null) {
            request.header("If-Match", ifMatch);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The certificate in a GET/PUT answer's body. */
    public static JsonObject properties(HttpResponse<String> response) {
        return new JsonObject(response.body()).getJsonObject("properties");
    }

    public static String etag(HttpResponse<String> response) {
        return new JsonObject(response.body()).getString("etag");
    }
}
