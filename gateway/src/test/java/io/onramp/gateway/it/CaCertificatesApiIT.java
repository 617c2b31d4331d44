package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.certs.ca.CaMaterial;
import io.onramp.certs.ca.CertificateBuilder;
import io.onramp.certs.ca.PkiCatalogue;
import io.onramp.certs.ca.PkiCatalogue.Name;
import io.onramp.certs.pem.PemWriter;
import io.onramp.gateway.support.AdminApi;
import io.onramp.gateway.support.RawDps;
import io.onramp.gateway.support.TestGateway;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API for CA certificates over real HTTPS (dps-service-api §11): upload, code, proof of
 * possession, and every way a call can be wrong, each answered with its status and Azure error
 * body and leaving the stored certificate as it was.
 */
class CaCertificatesApiIT {

    static final String ADDRESS = "127.0.0.82";
    static final String OWNER_KEY = "Q2FDZXJ0T3duZXJLZXlGb3JUZXN0c09ubHkwMDAwMDA=";
    static final String ENROLLER_KEY = "Q2FDZXJ0RW5yb2xsZXJLZXlGb3JUZXN0c09ubHkwMDA=";
    static final PkiCatalogue PKI = PkiCatalogue.create();

    @TempDir
    static Path dir;
    static TestGateway gateway;
    static AdminApi admin;
    static RawDps service;

    @BeforeAll
    static void start() {
        PKI.writeTo(dir.resolve("pki"));
        gateway = TestGateway.start(ADDRESS, dir.resolve("data"), """
            accessPolicies:
              - { name: owner, primaryKey: %s, rights: [ServiceConfig, EnrollmentWrite, RegistrationStatusWrite] }
              - { name: enroller, primaryKey: %s, rights: [EnrollmentWrite] }
            caCertificates:
              - { name: factory-root, certificate: %s, verified: true }
              - { name: factory-line, certificate: %s }
            """.formatted(OWNER_KEY, ENROLLER_KEY, dir.resolve("pki/root.cert.pem"), dir.resolve("pki/intermediate.cert.pem")));
        admin = new AdminApi(gateway, "owner", OWNER_KEY);
        service = new RawDps(gateway);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    /** Each test uploads its own names; what it leaves is removed, so the limit test sees only the config one. */
    @AfterEach
    void removeUploads() throws Exception {
        for (Object item : new JsonObject(admin.list().body()).getJsonArray("value")) {
            String name = ((JsonObject) item).getString("name");
            if (!name.startsWith("factory-")) {
                admin.delete(name, null);
            }
        }
    }

    @Test
    void anUploadedCaIsVerifiedByProofOfPossession() throws Exception {
        // GIVEN a CA certificate uploaded without verification
        HttpResponse<String> uploaded = admin.upload("line-7-root", PKI.certificate(Name.UNPROVEN_ROOT), false);
        assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(200);
        assertThat(AdminApi.properties(uploaded).getBoolean("isVerified")).isFalse();
        assertThat(AdminApi.properties(uploaded).getString("subject")).isEqualTo("CN=Onramp Unproven Root");
        assertThat(AdminApi.properties(uploaded).getString("thumbprint")).matches("[0-9A-F]{40}");
        assertThat(AdminApi.properties(uploaded).getString("expiry")).endsWith(" GMT");
        assertThat(uploaded.headers().firstValue("etag")).contains(AdminApi.etag(uploaded));

        // WHEN a code is generated, a certificate with that CN is signed with the CA's key and posted
        HttpResponse<String> generated = admin.generateCode("line-7-root", AdminApi.etag(uploaded));
        assertThat(generated.statusCode()).as(generated.body()).isEqualTo(200);
        String code = AdminApi.properties(generated).getString("verificationCode");
        assertThat(code).matches("[0-9A-F]{32}");
        HttpResponse<String> verified = admin.verify("line-7-root", PKI.verificationCertificate(Name.UNPROVEN_ROOT, code),
                AdminApi.etag(generated));

        // THEN the CA is verified, in the answer, on reading it back and in the list; the code is gone
        assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
        assertThat(AdminApi.properties(verified).getBoolean("isVerified")).isTrue();
        JsonObject read = new JsonObject(admin.get("line-7-root").body());
        assertThat(read.getJsonObject("properties").getBoolean("isVerified")).isTrue();
        assertThat(read.getJsonObject("properties").containsKey("verificationCode")).isFalse();
        JsonArray all = new JsonObject(admin.list().body()).getJsonArray("value");
        assertThat(all.stream().map(o -> ((JsonObject) o).getString("name")))
                .containsExactly("factory-line", "factory-root", "line-7-root");

        // AND the same code cannot be used a second time
        assertError(admin.verify("line-7-root", PKI.verificationCertificate(Name.UNPROVEN_ROOT, code), read.getString("etag")),
                400, 400004);
        assertThat(admin.get("line-7-root").body()).isEqualTo(read.encode());
    }

    @Test
    void aVerificationCertificateWithAnotherCnIsRefusedAndTheCodeStaysUsable() throws Exception {
        String etag = codeFor("cn-check");
        String code = currentCode;
        String before = admin.get("cn-check").body();

        assertError(admin.verify("cn-check", PKI.verificationCertificate(Name.UNPROVEN_ROOT, "0".repeat(32)), etag), 400, 400004);
        assertThat(admin.get("cn-check").body()).isEqualTo(before);

        HttpResponse<String> verified = admin.verify("cn-check", PKI.verificationCertificate(Name.UNPROVEN_ROOT, code), etag);
        assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
    }

    @Test
    void aVerificationCertificateSignedByAnotherKeyIsRefused() throws Exception {
        String etag = codeFor("key-check");
        String before = admin.get("key-check").body();

        HttpResponse<String> refused = admin.verify("key-check", PKI.verificationCertificate(Name.OTHER_ROOT, currentCode), etag);

        assertError(refused, 400, 400004);
        assertThat(new JsonObject(refused.body()).getString("message")).contains("not signed by");
        assertThat(admin.get("key-check").body()).isEqualTo(before);
    }

    @Test
    void verifyingWithoutACodeIsRefused() throws Exception {
        HttpResponse<String> uploaded = admin.upload("no-code", PKI.certificate(Name.UNPROVEN_ROOT), false);

        assertError(admin.verify("no-code", PKI.verificationCertificate(Name.UNPROVEN_ROOT, "A".repeat(32)),
                AdminApi.etag(uploaded)), 400, 400004);
        assertThat(AdminApi.properties(admin.get("no-code")).getBoolean("isVerified")).isFalse();
    }

    @Test
    void aStaleEtagIsAPreconditionFailureAndChangesNothing() throws Exception {
        String etag = codeFor("etag-check");
        String before = admin.get("etag-check").body();
        String stale = "\"stale\"";

        assertError(admin.generateCode("etag-check", stale), 412, 412001);
        assertError(admin.verify("etag-check", PKI.verificationCertificate(Name.UNPROVEN_ROOT, currentCode), stale), 412, 412001);
        assertError(admin.put("etag-check", body(PKI.certificate(Name.ROOT), false), stale), 412, 412001);
        assertError(admin.delete("etag-check", stale), 412, 412001);
        assertError(admin.put("absent-ca", body(PKI.certificate(Name.ROOT), false), stale), 412, 412001);

        assertThat(admin.get("etag-check").body()).isEqualTo(before);
        assertThat(admin.get("absent-ca").statusCode()).isEqualTo(404);
        // The verification calls name the version they act on.
        assertError(admin.generateCode("etag-check", null), 400, 400004);
        assertThat(AdminApi.etag(admin.get("etag-check"))).isEqualTo(etag);
    }

    @Test
    void anUnknownNameIsNotFound() throws Exception {
        assertError(admin.get("nobody"), 404, 404211);
        assertError(admin.delete("nobody", null), 404, 404211);
        assertError(admin.generateCode("nobody", "\"x\""), 404, 404211);
        assertError(admin.verify("nobody", PKI.verificationCertificate(Name.ROOT, "A".repeat(32)), "\"x\""), 404, 404211);
    }

    @Test
    void theTwentySixthCaIsRefused() throws Exception {
        // GIVEN 25 CA certificates: the config file's two and 23 uploads
        for (int i = 1; i <= 23; i++) {
            CaMaterial ca = CertificateBuilder.rootCa("Limit Root " + i).issue();
            assertThat(admin.upload("limit-" + i, ca.certificate(), false).statusCode()).isEqualTo(200);
        }

        // WHEN a 26th is uploaded, THEN the quota refuses it and nothing is added
        assertError(admin.upload("limit-25", CertificateBuilder.rootCa("Limit Root 25").issue().certificate(), false),
                403, 403002);
        assertThat(new JsonObject(admin.list().body()).getJsonArray("value")).hasSize(25);
        assertThat(admin.get("limit-25").statusCode()).isEqualTo(404);
        // AND replacing one of the 25 is still allowed
        assertThat(admin.upload("limit-1", PKI.certificate(Name.OTHER_ROOT), false).statusCode()).isEqualTo(200);
    }

    @Test
    void badBodiesAndNamesAreRefused() throws Exception {
        assertError(admin.put("bad-body", "{\"certificate\": \"not a certificate\"}", null), 400, 400004);
        assertError(admin.put("bad-body", new JsonObject().put("certificate",
                PemWriter.toPem(PKI.material(Name.ROOT).privateKey())).encode(), null), 400, 400004);
        assertError(admin.put("bad-body", new JsonObject().put("certificate", PemWriter.toPem(PKI.certificate(Name.ROOT),
                PKI.certificate(Name.INTERMEDIATE))).encode(), null), 400, 400004);
        // A device certificate cannot sign devices.
        assertError(admin.upload("bad-body", PKI.certificate(Name.LEAF), false), 400, 400004);
        assertError(admin.put("bad-body", "{}", null), 400, 400004);
        assertError(admin.put("bad-body", new JsonObject(body(PKI.certificate(Name.ROOT), false)).put("colour", "red").encode(),
                null), 400, 400004);
        assertError(admin.put("bad-body", "{\"certificate\": ", null), 400, 400006);
        assertError(admin.put("bad!name", body(PKI.certificate(Name.ROOT), false), null), 400, 400004);
        assertError(admin.send("PATCH", "/admin/certificates/bad-body", "{}", null), 405, 405001);
        assertError(admin.send("POST", "/admin/certificates/bad-body/renew", null, null), 404, 404001);

        assertThat(admin.get("bad-body").statusCode()).isEqualTo(404);
    }

    @Test
    void callsWithoutTheServiceConfigRightAreUnauthorized() throws Exception {
        HttpResponse<String> uploaded = admin.upload("guarded", PKI.certificate(Name.UNPROVEN_ROOT), false);
        String before = admin.get("guarded").body();

        for (AdminApi caller : List.of(admin.as("enroller", ENROLLER_KEY), admin.as(null, null),
                admin.as("owner", ENROLLER_KEY))) {
            assertError(caller.list(), 401, 401002);
            assertError(caller.get("guarded"), 401, 401002);
            assertError(caller.upload("guarded", PKI.certificate(Name.ROOT), true), 401, 401002);
            assertError(caller.generateCode("guarded", AdminApi.etag(uploaded)), 401, 401002);
            assertError(caller.delete("guarded", null), 401, 401002);
        }

        assertThat(admin.get("guarded").body()).isEqualTo(before);
    }

    @Test
    void aConfigFileCertificateIsReadOnlyButItsKeyCanBeProvenAndThatLastsAcrossARestart() throws Exception {
        HttpResponse<String> read = admin.get("factory-root");
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(AdminApi.properties(read).getBoolean("isVerified")).isTrue();

        assertError(admin.upload("factory-root", PKI.certificate(Name.OTHER_ROOT), false), 409, 409211);
        assertError(admin.upload("FACTORY-ROOT", PKI.certificate(Name.OTHER_ROOT), false), 409, 409211);
        HttpResponse<String> delete = admin.delete("factory-root", null);
        assertError(delete, 409, 409211);
        // the test's config file is not conf/onramp.yaml, so the message must not name that path
        assertThat(new JsonObject(delete.body()).getString("message"))
                .contains("managed by the config file the gateway was started with").doesNotContain("conf/onramp.yaml");
        assertThat(admin.get("factory-root").body()).isEqualTo(read.body());

        // The file does not vouch for factory-line: its key is proven through the API.
        HttpResponse<String> line = admin.get("factory-line");
        assertThat(AdminApi.properties(line).getBoolean("isVerified")).isFalse();
        HttpResponse<String> code = admin.generateCode("factory-line", AdminApi.etag(line));
        assertThat(admin.verify("factory-line", PKI.verificationCertificate(Name.INTERMEDIATE,
                AdminApi.properties(code).getString("verificationCode")), AdminApi.etag(code)).statusCode()).isEqualTo(200);

        gateway.restart();

        assertThat(AdminApi.properties(admin.get("factory-line")).getBoolean("isVerified")).isTrue();
        assertError(admin.delete("factory-line", null), 409, 409211);
    }

    @Test
    void newContentResetsVerificationAndTheSameContentKeepsIt() throws Exception {
        admin.upload("replaced", PKI.certificate(Name.ROOT), true);

        HttpResponse<String> same = admin.upload("replaced", PKI.certificate(Name.ROOT), false);
        HttpResponse<String> other = admin.upload("replaced", PKI.certificate(Name.OTHER_ROOT), false);

        assertThat(AdminApi.properties(same).getBoolean("isVerified")).isTrue();
        assertThat(AdminApi.properties(other).getBoolean("isVerified")).isFalse();
        assertThat(AdminApi.properties(other).getString("subject")).isEqualTo("CN=Onramp Other Root");
    }

    @Test
    void groupsMayReferenceOnlyRegisteredVerifiedCasAndAReferencedCaStays() throws Exception {
        admin.upload("unproven", PKI.certificate(Name.UNPROVEN_ROOT), false);
        admin.upload("proven", PKI.certificate(Name.INTERMEDIATE), true);

        assertError(putGroup("refs-unknown", "nobody"), 400, 400004);
        assertError(putGroup("refs-unverified", "unproven"), 400, 400004);
        assertThat(service.send("GET", "/enrollmentGroups/refs-unknown?" + RawDps.API, owner(), null).statusCode()).isEqualTo(404);
        assertThat(service.send("GET", "/enrollmentGroups/refs-unverified?" + RawDps.API, owner(), null).statusCode())
                .isEqualTo(404);

        // Bulk creation checks each group the same way.
        HttpResponse<String> bulk = service.send("POST", "/enrollmentGroups?" + RawDps.API, owner(), new JsonObject()
                .put("mode", "create").put("enrollmentGroups", new JsonArray().add(group("refs-bulk", "unproven"))).encode());
        assertThat(bulk.statusCode()).isEqualTo(200);
        assertThat(new JsonObject(bulk.body()).getJsonArray("errors").getJsonObject(0).getInteger("errorCode"))
                .isEqualTo(400004);

        HttpResponse<String> created = putGroup("refs-proven", "proven");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        assertThat(new JsonObject(created.body()).getJsonObject("attestation").getJsonObject("x509")
                .getJsonObject("caReferences").getString("primary")).isEqualTo("proven");
        assertError(admin.delete("proven", null), 409, 409211);

        assertThat(service.send("DELETE", "/enrollmentGroups/refs-proven?" + RawDps.API, owner(), null).statusCode())
                .isEqualTo(204);
        assertThat(admin.delete("proven", null).statusCode()).isEqualTo(204);
    }

    // ---- helpers ----

    static String currentCode;

    /** Uploads UNPROVEN_ROOT under {@code name} and generates a code; returns the etag to verify with. */
    private static String codeFor(String name) throws Exception {
        HttpResponse<String> uploaded = admin.upload(name, PKI.certificate(Name.UNPROVEN_ROOT), false);
        HttpResponse<String> generated = admin.generateCode(name, AdminApi.etag(uploaded));
        assertThat(generated.statusCode()).as(generated.body()).isEqualTo(200);
        currentCode = AdminApi.properties(generated).getString("verificationCode");
        return AdminApi.etag(generated);
    }

    private static String body(java.security.cert.X509Certificate certificate, boolean verified) {
        return new JsonObject().put("certificate", PemWriter.toPem(certificate)).put("isVerified", verified).encode();
    }

    private static JsonObject group(String id, String caName) {
        return new JsonObject().put("enrollmentGroupId", id).put("attestation", new JsonObject()
                .put("type", "x509").put("x509", new JsonObject().put("caReferences", new JsonObject().put("primary", caName))));
    }

    private static HttpResponse<String> putGroup(String id, String caName) throws Exception {
        return service.send("PUT", "/enrollmentGroups/" + id + "?" + RawDps.API, owner(), group(id, caName).encode());
    }

    private static String owner() {
        return io.onramp.certs.sas.SasTokenSigner.sign(ADDRESS, java.time.Instant.now().getEpochSecond() + 600,
                io.onramp.certs.sas.SymmetricKeys.decode(OWNER_KEY), "owner");
    }

    static void assertError(HttpResponse<String> response, int status, int errorCode) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonObject body = new JsonObject(response.body());
        assertThat(body.getInteger("errorCode")).as(response.body()).isEqualTo(errorCode);
        assertThat(body.getString("trackingId")).isNotBlank();
        assertThat(body.getString("message")).isNotBlank();
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(v -> assertThat(v).contains("application/json"));
    }
}
