package io.onramp.gateway.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.certs.sas.SasTokenVerifier;
import io.onramp.gateway.config.GatewayConfig.AccessPolicy;
import io.onramp.gateway.config.GatewayConfig.Right;
import io.onramp.gateway.error.ProvisioningException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServiceAuthenticatorTest {

    // The test vector of dps-service-api.md 2.2.
    static final String KEY = "8isrFI1sGsIlvvFSSFRiMfCNzv21fjbE/+ah/lSh3lF8e2YG1Te7w1KpZhJFFXJrqYKi9yegxkqIChbqOS9Egw==";
    static final String SIG = "5zkCYS4BMgqW2oiAdutkzwu6gVyPaoG%2FoQuzoHkdWZk%3D";
    static final Clock BEFORE_EXPIRY = Clock.fixed(Instant.ofEpochSecond(1893456000L - 60), ZoneOffset.UTC);

    final ServiceAuthenticator authenticator = new ServiceAuthenticator(
            List.of(new AccessPolicy("provisioningserviceowner", KEY, null, List.of(Right.EnrollmentWrite)),
                    new AccessPolicy("reader", KEY, null, List.of(Right.RegistrationStatusRead))),
            new SasTokenVerifier(BEFORE_EXPIRY, Duration.ofMinutes(5)));

    @Test
    void acceptsTheSpecVectorInJavaAndNodeParameterOrder() {
        String java = "SharedAccessSignature sr=my-dps.example.local&sig=" + SIG + "&se=1893456000&skn=provisioningserviceowner";
        String node = "SharedAccessSignature sr=my-dps.example.local&sig=" + SIG + "&skn=provisioningserviceowner&se=1893456000";
        assertThat(authenticator.authenticate("my-dps.example.local", "/enrollments/x", java, Right.EnrollmentWrite))
                .isEqualTo("provisioningserviceowner");
        // a write right implies the read right
        assertThat(authenticator.authenticate("MY-DPS.example.local", "/enrollments/x", node, Right.EnrollmentRead))
                .isEqualTo("provisioningserviceowner");
    }

    @Test
    void refusesAMissingRightAnotherHostAndOtherSchemes() {
        String reader = "SharedAccessSignature sr=my-dps.example.local&sig=" + SIG + "&se=1893456000&skn=reader";
        assertUnauthorized(() -> authenticator.authenticate("my-dps.example.local", "/enrollments/x", reader, Right.EnrollmentRead));
        String owner = "SharedAccessSignature sr=my-dps.example.local&sig=" + SIG + "&se=1893456000&skn=provisioningserviceowner";
        assertUnauthorized(() -> authenticator.authenticate("other.example", "/enrollments/x", owner, Right.EnrollmentRead));
        assertUnauthorized(() -> authenticator.authenticate("my-dps.example.local", "/x", "Bearer abc", Right.EnrollmentRead));
        assertUnauthorized(() -> authenticator.authenticate("my-dps.example.local", "/x", null, Right.EnrollmentRead));
    }

    @Test
    void aResourceMayBeASegmentWisePrefixOfTheRequest() {
        assertThat(ServiceAuthenticator.coversRequest("dps.example/enrollments", "dps.example", "/enrollments/x")).isTrue();
        assertThat(ServiceAuthenticator.coversRequest("dps.example/enroll", "dps.example", "/enrollments/x")).isFalse();
        assertThat(ServiceAuthenticator.coversRequest("dps.example", "dps.example.evil", "/enrollments")).isFalse();
    }

    private static void assertUnauthorized(Runnable call) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(ProvisioningException.class, e -> assertThat(e.status()).isEqualTo(401));
    }
}
