package io.onramp.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.gateway.service.ServiceApiEndpoint;
import io.onramp.gateway.service.ServiceOperation;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The device requests told by their plain paths; every other spelling is left to the route templates. */
class DeviceRequestPathTest {

    @Test
    void aRegisterAndAPollByTheirPlainPaths() {
        assertThat(DeviceRequestPath.of(HttpMethod.PUT, "/0ne00000001/registrations/sensor-0042/register"))
                .isEqualTo(new DeviceRequestPath("0ne00000001", "sensor-0042", null));
        assertThat(DeviceRequestPath.of(HttpMethod.GET, "/0ne00000001/registrations/sensor-0042/operations/4.1c.x"))
                .isEqualTo(new DeviceRequestPath("0ne00000001", "sensor-0042", "4.1c.x"));
    }

    /** Other methods and shapes, and the spellings the route templates decode and match as before. */
    @ParameterizedTest
    @CsvSource({
        "GET, /s/registrations/d/register", "PUT, /s/registrations/d/operations/o", "DELETE, /s/registrations/d/register",
        "POST, /s/registrations/d", "PUT, /s/registrations/d/registers", "PUT, /s/Registrations/d/register",
        "PUT, /s/enrollments/d/register", "PUT, /s/registrations/d/register/x", "PUT, /s/registrations/register",
        "GET, /s/registrations/d/operations", "GET, /s/registrations/d/operations/o/p", "PUT, ''",
        "PUT, /s/registrations/a%3Ab/register", "PUT, /s/registrations//register", "PUT, //registrations/d/register",
        "PUT, /s/registrations/d/register/", "GET, /s/registrations/d/operations/", "PUT, s/registrations/d/register"})
    void isNotTakenForADeviceRequest(String method, String path) {
        assertThat(DeviceRequestPath.of(HttpMethod.valueOf(method), path)).isNull();
    }

    @Test
    void noPathIsNoDeviceRequest() {
        assertThat(DeviceRequestPath.of(HttpMethod.PUT, null)).isNull();
    }

    /** The limit by the first segment, as the APIs' path patterns give it (one body route instead of one per API). */
    @Test
    void eachApiKeepsItsBodyLimit() {
        List<String> paths = List.of("/devices/d1", "/devices", "/twins", "/twins/d/modules/m", "/statistics/service",
                "/Devices/d1", "/devicesx", "/enrollments/e1", "/EnrollmentGroups/g", "/registrations/g/query",
                "/REGISTRATIONS", "/0ne00000001/registrations/d/register", "/", "/admin/backup", "/health");
        for (String path : paths) {
            long expected = path.matches(Routes.HUB_PATHS) ? Routes.MAX_HUB_BODY_BYTES
                    : path.matches(ServiceOperation.PATHS) ? ServiceApiEndpoint.MAX_BODY_BYTES : Routes.MAX_BODY_BYTES;
            assertThat(Routes.bodyLimit(path)).as(path).isEqualTo(expected);
        }
        assertThat(Routes.bodyLimit("/twins/d")).isNotEqualTo(Routes.bodyLimit("/enrollments/e"))
                .isNotEqualTo(Routes.bodyLimit("/0ne00000001/registrations/d/register"));
    }
}
