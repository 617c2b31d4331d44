package io.onramp.gateway.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.gateway.error.ProvisioningException;
import io.onramp.gateway.provisioning.EnrollmentRef;
import io.onramp.gateway.service.ServiceOperation.Action;
import org.junit.jupiter.api.Test;

class ServiceOperationTest {

    @Test
    void readsEveryEndpointOfTheCatalogue() {
        assertThat(ServiceOperation.parse("PUT", "/enrollments/dev-1")).isEqualTo(op(Action.PUT, EnrollmentRef.Kind.INDIVIDUAL, "dev-1"));
        assertThat(ServiceOperation.parse("POST", "/enrollments")).isEqualTo(op(Action.BULK, EnrollmentRef.Kind.INDIVIDUAL, null));
        assertThat(ServiceOperation.parse("POST", "/enrollmentGroups/query"))
                .isEqualTo(op(Action.QUERY, EnrollmentRef.Kind.GROUP, null));
        assertThat(ServiceOperation.parse("POST", "/enrollmentgroups/g1/attestationmechanism"))
                .isEqualTo(op(Action.ATTESTATION_MECHANISM, EnrollmentRef.Kind.GROUP, "g1"));
        assertThat(ServiceOperation.parse("DELETE", "/registrations/dev-1"))
                .isEqualTo(op(Action.REGISTRATION_DELETE, null, "dev-1"));
        assertThat(ServiceOperation.parse("POST", "/registrations/g1/query"))
                .isEqualTo(op(Action.REGISTRATION_QUERY, EnrollmentRef.Kind.GROUP, "g1"));
    }

    @Test
    void queryIsAnIdForEveryVerbButPost() {
        assertThat(ServiceOperation.parse("GET", "/enrollments/query")).isEqualTo(op(Action.GET, EnrollmentRef.Kind.INDIVIDUAL, "query"));
        assertThat(ServiceOperation.parse("PUT", "/enrollments/query")).isEqualTo(op(Action.PUT, EnrollmentRef.Kind.INDIVIDUAL, "query"));
        assertThat(ServiceOperation.parse("GET", "/registrations/query")).isEqualTo(op(Action.REGISTRATION_GET, null, "query"));
        // Onramp's own: every registration, of every enrollment
        assertThat(ServiceOperation.parse("POST", "/registrations/query")).isEqualTo(op(Action.REGISTRATION_QUERY, null, null));
    }

    @Test
    void idsAreDecodedOnceAndKeepTheirCase() {
        assertThat(ServiceOperation.parse("GET", "/enrollments/Line7%3APLC").id()).isEqualTo("Line7:PLC");
        assertThat(ServiceOperation.parse("GET", "/enrollments/a+b").id()).isEqualTo("a+b");
    }

    @Test
    void unknownPathsAndMethodsAreRefused() {
        assertStatus(() -> ServiceOperation.parse("PATCH", "/enrollments/x"), 405);
        assertStatus(() -> ServiceOperation.parse("GET", "/enrollments"), 405);
        assertStatus(() -> ServiceOperation.parse("GET", "/enrollments/x/y"), 404);
        assertStatus(() -> ServiceOperation.parse("PUT", "/registrations/x"), 405);
        assertStatus(() -> ServiceOperation.parse("GET", "/enrollments/%zz"), 400);
    }

    private static ServiceOperation op(Action action, EnrollmentRef.Kind kind, String id) {
        return new ServiceOperation(action, kind, id);
    }

    private static void assertStatus(Runnable call, int status) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ProvisioningException.class, e -> assertThat(e.status()).isEqualTo(status));
    }
}
