package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.hub.LinkedHubProbe;
import io.onramp.gateway.support.CommandLine;
import io.onramp.gateway.support.RawDps;
import io.onramp.gateway.support.TestGateway;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A gateway linking hubs of another gateway by connection string: one it reaches, one it signs for with the wrong
 * key, one where nothing listens and one whose certificate it is not told to trust. Its start says which of them
 * fail and why, and goes on; the command line names the linked hub that failed, not this gateway's listener.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LinkedHubFailureIT {

    static final String GOOD = "127.0.0.245";
    static final String DPS = "127.0.0.246";
    static final String WRONG_KEY = "127.0.0.247";
    static final String DOWN = "127.0.0.248";
    static final String UNTRUSTED = "127.0.0.249";
    static final String OWNER_KEY = "TGlua2VkSHViT3duZXJLZXlGb3JUZXN0c09ubHkwMDA=";
    static final String OTHER_KEY = "TGlua2VkSHViV3JvbmdLZXlGb3JUZXN0c09ubHkwMDA=";
    static final String POLICY_KEY = "TGlua2VkSHViUG9saWN5S2V5Rm9yVGVzdHNPbmx5MDA=";
    static final String GROUP_KEY = "TGlua2VkSHViR3JvdXBLZXlGb3JUZXN0c09ubHkwMDA=";

    @TempDir
    static Path hubDir;
    @TempDir
    static Path dpsDir;
    static TestGateway hubGateway;
    static TestGateway dpsGateway;
    static final ListAppender<ILoggingEvent> log = new ListAppender<>();
    static CommandLine onramp;

    @BeforeAll
    static void start() throws Exception {
        // the hubs' gateway listens on 443 of each hub's address, where a connection string's HostName leads
        hubGateway = TestGateway.startOnStandardPorts(GOOD, List.of(WRONG_KEY, UNTRUSTED), hubDir, """
            hubs:
              - { name: good, hostName: %s, ownerKey: %s }
              - { name: keyed, hostName: %s, ownerKey: %s }
              - { name: untrusted, hostName: %s, ownerKey: %s }
            """.formatted(GOOD, OWNER_KEY, WRONG_KEY, OWNER_KEY, UNTRUSTED, OWNER_KEY));
        Logger probeLog = (Logger) LoggerFactory.getLogger(LinkedHubProbe.class);
        probeLog.addAppender(log);
        log.start();
        dpsGateway = TestGateway.start(DPS, dpsDir, """
            accessPolicies:
              - { name: provisioningserviceowner, primaryKey: %s,
                  rights: [EnrollmentRead, EnrollmentWrite, RegistrationStatusRead, RegistrationStatusWrite] }
            hubs:
              - name: good
                connectionString: "HostName=%s;SharedAccessKeyName=iothubowner;SharedAccessKey=%s"
                caCertificate: %s
              - name: keyed
                connectionString: "HostName=%s;SharedAccessKeyName=iothubowner;SharedAccessKey=%s"
                caCertificate: %s
              - name: down
                connectionString: "HostName=%s;SharedAccessKeyName=iothubowner;SharedAccessKey=%s"
              - name: untrusted
                connectionString: "HostName=%s;SharedAccessKeyName=iothubowner;SharedAccessKey=%s"
            enrollmentGroups:
              - enrollmentGroupId: sensors
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
                iotHubs: [ %s ]
            """.formatted(POLICY_KEY, GOOD, OWNER_KEY, hubGateway.caFile(), WRONG_KEY, OTHER_KEY, hubGateway.caFile(),
                DOWN, OWNER_KEY, UNTRUSTED, OWNER_KEY, GROUP_KEY, GOOD));
        dpsGateway.gateway().linkedHubsProbed().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        probeLog.detachAppender(log);
        onramp = new CommandLine(dpsGateway.writeConfigFile());
    }

    @AfterAll
    static void stop() {
        dpsGateway.close();
        hubGateway.close();
    }

    @Test
    @Order(1)
    void theStartWarnsOfEachLinkedHubThatFailsNamingItAndTheReason() {
        List<String> warnings = log.list.stream().filter(e -> e.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).toList();

        assertThat(warnings).containsExactlyInAnyOrder(
                "linked hub keyed (127.0.0.247): unauthorized: check the SharedAccessKey (and SharedAccessKeyName) of"
                        + " hubs[1].connectionString; registrations assigned to it will fail until it answers",
                "linked hub down (127.0.0.248): unreachable: connection refused; registrations assigned to it will fail"
                        + " until it answers",
                "linked hub untrusted (127.0.0.249): TLS: not trusted, give hubs[3].caCertificate (the PEM file of the CA"
                        + " its certificate chains to); registrations assigned to it will fail until it answers");
        assertThat(log.list).anySatisfy(e -> assertThat(e.getFormattedMessage()).isEqualTo("linked hub good (127.0.0.245) answers"));
    }

    @Test
    @Order(2)
    void theCommandLineNamesTheLinkedHubThatFailedAndWhy() {
        assertThat(onramp.run(1, "devices", "list", "--hub", "keyed").strip()).isEqualTo("onramp: linked hub keyed"
                + " (127.0.0.247): unauthorized: check the SharedAccessKey (and SharedAccessKeyName) of hubs[1].connectionString");
        String refused = onramp.run(1, "devices", "show", "s-1", "--hub", "down").strip();
        assertThat(refused).isEqualTo("onramp: linked hub down (127.0.0.248): unreachable: connection refused");
        assertThat(onramp.run(1, "devices", "show", "s-1").strip()).as("the first linked hub that fails ends the search")
                .startsWith("onramp: linked hub keyed (127.0.0.247): unauthorized");
        assertThat(onramp.run(1, "devices", "list", "--hub", "untrusted").strip())
                .startsWith("onramp: linked hub untrusted (127.0.0.249): TLS: not trusted, give hubs[3].caCertificate");
    }

    @Test
    @Order(3)
    void deprovisioningSaysTheLinkedHubIsDownNotThisGateway() throws Exception {
        String id = "sensor-1";
        RawDps dps = new RawDps(dpsGateway);
        assertThat(dps.registerAndPoll(id, RawDps.token(id, SymmetricKeys.deriveDeviceKey(GROUP_KEY, id)))
                .getString("status")).isEqualTo("assigned");
        hubGateway.close();

        String out = onramp.run(1, "registrations", "deprovision", id);

        assertThat(out).contains("enrollment  it registered through a group",
                "onramp: linked hub good (127.0.0.245): unreachable: connection refused; device sensor-1 was not disabled"
                        + " there: run onramp devices disable sensor-1 --hub 127.0.0.245 once it answers");
        assertThat(out).doesNotContain("is the gateway running");
    }
}
