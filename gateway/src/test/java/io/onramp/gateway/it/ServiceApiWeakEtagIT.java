package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.gateway.support.AdminApi;
import io.onramp.gateway.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** If-Match on the service API compares strongly (RFC 7232 3.1): a weak W/ etag is a 412, never a write. */
class ServiceApiWeakEtagIT {

    static final String OWNER_KEY = "U2VydmljZUFwaVdlYWtFdGFnT3duZXJLZXkwMDAwMDA=";
    static final String DEVICE_KEY = "U2VydmljZUFwaVdlYWtFdGFnRGV2aWNlS2V5MDAwMDA=";

    @TempDir
    Path dataDir;

    @Test
    void aWeakEtagNeitherReplacesNorDeletesAnEnrollment() throws Exception {
        try (TestGateway gateway = TestGateway.start("127.0.0.227", dataDir, """
                accessPolicies:
                  - { name: provisioningserviceowner, primaryKey: %s, rights: [EnrollmentRead, EnrollmentWrite] }
                """.formatted(OWNER_KEY))) {
            AdminApi api = new AdminApi(gateway, "provisioningserviceowner", OWNER_KEY);
            String enrollment = new JsonObject().put("registrationId", "press-9").put("attestation", new JsonObject()
                    .put("type", "symmetricKey").put("symmetricKey", new JsonObject().put("primaryKey", DEVICE_KEY))).encode();
            HttpResponse<String> created = api.send("PUT", "/enrollments/press-9", enrollment, null);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
            String etag = AdminApi.etag(created);

            HttpResponse<String> weakPut = api.send("PUT", "/enrollments/press-9", enrollment, "W/" + etag);
            HttpResponse<String> weakDelete = api.send("DELETE", "/enrollments/press-9", null, "W/" + etag);

            assertThat(weakPut.statusCode()).as(weakPut.body()).isEqualTo(412);
            assertThat(new JsonObject(weakPut.body()).getInteger("errorCode")).isEqualTo(412001);
            assertThat(weakDelete.statusCode()).as(weakDelete.body()).isEqualTo(412);
            assertThat(api.send("DELETE", "/enrollments/press-9", null, etag).statusCode()).as("the etag itself")
                    .isEqualTo(204);
        }
    }
}
