package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;

import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.support.CommandLine;
import io.onramp.gateway.support.RawDps;
import io.onramp.gateway.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A DPS gateway whose linked hub (another real gateway) is down: a registration must not be recorded
 * "assigned" while the hub has no identity for the device, and must succeed once the hub is back.
 */
class LinkedHubDownIT {

    static final String DPS = "127.0.0.240";
    static final String HUB = "127.0.0.241";
    static final String OWNER_KEY = RemoteHubIT.OWNER_KEY;
    static final String GROUP_KEY = RemoteHubIT.GROUP_KEY;

    @TempDir
    Path hubDir;
    @TempDir
    Path dpsDir;
    TestGateway hubGateway;
    TestGateway dpsGateway;
    RawDps dps;
    final ListAppender<ILoggingEvent> log = new ListAppender<>();

    @BeforeEach
    void start() {
        log.start();
        root().addAppender(log);
        hubGateway = TestGateway.startOnStandardHttps(HUB, hubDir, """
            hubs: [ { name: far, hostName: %s, ownerKey: %s } ]
            """.formatted(HUB, OWNER_KEY));
        dpsGateway = TestGateway.start(DPS, dpsDir, """
            hubs:
              - name: far
                connectionString: "HostName=%s;SharedAccessKeyName=iothubowner;SharedAccessKey=%s"
                caCertificate: %s
            enrollmentGroups:
              - enrollmentGroupId: sensors
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
                iotHubs: [ %s ]
            accessPolicies:
              - { name: provisioningserviceowner, primaryKey: %s,
                  rights: [EnrollmentRead, EnrollmentWrite, RegistrationStatusRead, RegistrationStatusWrite] }
            """.formatted(HUB, OWNER_KEY, hubGateway.caFile(), GROUP_KEY, HUB, OWNER_KEY));
        dps = new RawDps(dpsGateway);
    }

    @AfterEach
    void stop() {
        root().detachAppender(log);
        dpsGateway.close();
        hubGateway.close();
    }

    static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    @Test
    void aRegistrationWhileTheHubIsDownFailsRetryablyAndIsNeverRecordedAssigned() throws Exception {
        String id = "down-sensor-1";
        String token = RawDps.token(id, SymmetricKeys.deriveDeviceKey(GROUP_KEY, id));
        hubGateway.close();

        JsonObject failed = dps.registerAndPoll(id, token);

        assertThat(failed.getString("status")).as(failed.encode()).isEqualTo("failed");
        JsonObject state = failed.getJsonObject("registrationState");
        assertThat(state.getInteger("errorCode")).isEqualTo(503001);
        assertThat(state.getString("errorMessage")).contains("register again");
        assertThat(state.containsKey("assignedHub")).isFalse();
        CommandLine onramp = new CommandLine(dpsGateway.writeConfigFile());
        assertThat(onramp.run(0, "registrations", "show", id)).contains("\"status\" : \"failed\"")
                .doesNotContain("assigned");
        // The registration's own lines (the start's probe of the linked hub warns too, once).
        List<ILoggingEvent> warnings = log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .filter(e -> e.getLoggerName().endsWith(".DefaultProvisioningService")).toList();
        assertThat(warnings).as("one line per failure, no stack trace").singleElement().satisfies(e -> {
            assertThat(e.getFormattedMessage()).contains(id).contains("hub " + HUB).contains("Connection refused");
            assertThat(e.getThrowableProxy()).isNull();
        });
        assertThat(log.list).filteredOn(e -> e.getLoggerName().equals("audit.registration")).singleElement()
                .satisfies(e -> assertThat(e.getFormattedMessage()).startsWith("failed " + id + " hub=" + HUB)
                        .contains("Connection refused"));

        hubGateway.restart();
        log.list.clear();
        JsonObject assigned = dps.registerAndPoll(id, token);

        assertThat(assigned.getString("status")).as(assigned.encode()).isEqualTo("assigned");
        assertThat(hubGateway.gateway().deviceRegistry().find(HUB, id).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS)).isPresent();
        assertThat(onramp.run(0, "registrations", "show", id)).contains("\"status\" : \"assigned\"");
    }
}
