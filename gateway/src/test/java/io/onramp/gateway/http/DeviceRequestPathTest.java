package io.onramp.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.gateway.service.ServiceApiEndpoint;
import io.onramp.gateway.service.ServiceOperation;
import io.vertx.core.http.HttpMethod;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The device requests told by their plain paths; every other spelling is left to the route templates. */
class DeviceRequestPathTest {

    @Test
    void aRegisterAndAPollByTheirPlainPaths() {
        assertThat(DeviceRequestPath.of(HttpMethod.PUT, "/0ne00000001/registrations/sensor-0042/register"))
                .isEqualTo(new DeviceRequestPath("0ne00000001", "sensor-0042", null));
        assertThat(DeviceRequestPath.of(HttpMethod.GET, "/0ne00000001/registrations/sensor-0042/operations/4.1c.x"))
                .isEqualTo(new DeviceRequestPath("0ne00000001", "sensor-0042", "4.1c.x"));
    }

    @Test
    void otherMethodsAndShapesAreNotDeviceRequests() {
        assertThat(DeviceRequestPath.of(HttpMethod.GET, "/s/registrations/d/register")).isNull();
        assertThat(DeviceRequestPath.of(HttpMethod.PUT, "/s/registrations/d/operations/o")).isNull();
        assertThat(DeviceRequestPath.of(HttpMethod.DELETE, "/s/registrations/d/register")).isNull();
        assertThat(DeviceRequestPath.of(HttpMethod.POST, "/s/registrations/d")).isNull();
        assertThat(DeviceRequestPath.of(HttpMethod.PUT, "/s/registrations/d/registers")).isNull();
        assertThat(DeviceRequestPath.of(HttpMethod.PUT, "/s/Registrations/d/register")).isNull();
        assertThat(DeviceRequestPath.of(HttpMethod.PUT, "/s/enrollments/d/register")).isNull();
        assertThat(DeviceRequestPath.of(HttpMethod.PUT, "/s/registrations/d/register/x")).isNull();
        assertThat(DeviceRequestPath.of(HttpMethod.PUT, "/s/registrations/register")).isNull();
        assertThat(DeviceRequestPath.of(HttpMethod.GET, "/s/registrations/d/operations")).isNull();
        assertThat(DeviceRequestPath.of(HttpMethod.GET, "/s/registrations/d/operations/o/p")).isNull();
        assertThat(DeviceRequestPath.of(HttpMethod.PUT, "")).isNull();
        assertThat(DeviceRequestPath.of(HttpMethod.PUT, null)).isNull();
    }

    @Test
    void encodedEmptyOrTrailingSegmentsAreLeftToTheTemplates() {
        assertThat(DeviceRequestPath.of(HttpMethod.PUT, "/s/registrations/a%3Ab/register")).isNull();
        assertThat(DeviceRequestPath.of(HttpMethod.PUT, "/s/registrations//register")).isNull();
        assertThat(DeviceRequestPath.of(HttpMethod.PUT, "//registrations/d/register")).isNull();
        assertThat(DeviceRequestPath.of(HttpMethod.PUT, "/s/registrations/d/register/")).isNull();
        assertThat(DeviceRequestPath.of(HttpMethod.GET, "/s/registrations/d/operations/")).isNull();
        assertThat(DeviceRequestPath.of(HttpMethod.PUT, "s/registrations/d/register")).isNull();
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
