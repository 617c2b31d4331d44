package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.error.HttpErrors;
import io.onramp.gateway.support.RawDps;
import io.onramp.gateway.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** What the log says when a device is refused: enough for an operator to tell a wrong key from a stranger. */
class DeviceRefusalLogIT {

    static final String DPS = "127.0.0.240";
    static final String GROUP_KEY = RemoteHubIT.GROUP_KEY;

    @TempDir
    Path dataDir;
    TestGateway gateway;
    final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void start() {
        log.start();
        logger().addAppender(log);
        gateway = TestGateway.start(DPS, dataDir, """
            hubs: [ { name: line-a, hostName: 127.0.0.241, ownerKey: %s } ]
            enrollmentGroups:
              - enrollmentGroupId: sensors
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
              - enrollmentGroupId: meters
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
            """.formatted(RemoteHubIT.OWNER_KEY, GROUP_KEY, RemoteHubIT.OTHER_KEY));
    }

    @AfterEach
    void stop() {
        logger().detachAppender(log);
        gateway.close();
    }

    static Logger logger() {
        return (Logger) LoggerFactory.getLogger(HttpErrors.class);
    }

    @Test
    void aGroupMemberWithAWrongKeyIsLoggedAsVerifyingAgainstNoGroupKeyWithTheGroupsAndItsAddress() throws Exception {
        String id = "m-0005";
        String wrongKey = SymmetricKeys.deriveDeviceKey(RemoteHubIT.PRESS_KEY, id);
        String base = "/" + TestGateway.ID_SCOPE + "/registrations/" + id;

        HttpResponse<String> refused = new RawDps(gateway).register(base + "/register?" + RawDps.API,
                RawDps.token(id, wrongKey), new JsonObject().put("registrationId", id).encode());

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(log.list).singleElement().satisfies(e -> assertThat(e.getFormattedMessage())
                .contains("from 127.").contains(id).contains("no symmetric-key enrollment group's derived key")
                .contains("groups tried: ").contains("sensors").contains("meters"));
    }
}
