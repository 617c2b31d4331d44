package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.store.UnconfiguredHubs;
import io.onramp.gateway.support.CommandLine;
import io.onramp.gateway.support.RawDps;
import io.onramp.gateway.support.TestGateway;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * A hub taken out of the config leaves registrations and enrollments naming it: the next start says so, once
 * per hub, instead of a normal start whose devices are then refused at connect.
 */
class UnconfiguredHubsIT {

    static final String DPS = "127.0.0.251";
    static final String LINE_A = "127.0.0.252";
    static final String LINE_B = "127.0.0.253";
    static final String OWNER_KEY = "VW5jb25maWd1cmVkSHVic093bmVyS2V5VGVzdHMwMDA=";
    static final String HUB_KEY = "VW5jb25maWd1cmVkSHVic0h1YktleUZvclRlc3RzMDA=";

    @TempDir
    Path dataDir;

    @Test
    void aStartWarnsOncePerHubTheStoreNamesAndTheConfigLacks() throws Exception {
        // GIVEN two registrations at line-b and three enrollments naming it (static: their hub, not a hashed one)
        TestGateway gateway = TestGateway.start(DPS, dataDir, config("""
            hubs: [ { name: line-a, hostName: %s, ownerKey: %s }, { name: line-b, hostName: %s, ownerKey: %s } ]
            allocation: { policy: static }
            """.formatted(LINE_A, HUB_KEY, LINE_B, HUB_KEY)));
        CommandLine cli = new CommandLine(gateway.writeConfigFile());
        RawDps dps = new RawDps(gateway);
        for (String id : List.of("press-1", "press-2", "press-3")) {
            String key = SymmetricKeys.generate();
            cli.run(0, "enrollments", "create", id, "--key", key, "--hub", "line-b");
            if (!id.equals("press-3")) {
                dps.registerAndPoll(id, RawDps.token(id, key));
            }
        }
        gateway.close();
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Logger hubsLog = (Logger) LoggerFactory.getLogger(UnconfiguredHubs.class);
        hubsLog.addAppender(log);
        log.start();
        try {
            // WHEN it starts with line-b taken out of the config
            gateway = TestGateway.start(DPS, dataDir, config("""
                hubs: [ { name: line-a, hostName: %s, ownerKey: %s } ]
                """.formatted(LINE_A, HUB_KEY)));
            for (int i = 0; i < 100 && log.list.isEmpty(); i++) {
                Thread.sleep(100); // found in the background, after the start
            }
        } finally {
            gateway.close();
            hubsLog.detachAppender(log);
        }

        // THEN one warning names line-b's host and what names it
        assertThat(log.list).map(ILoggingEvent::getFormattedMessage).containsExactly("2 registrations and 3 enrollments"
                + " name hub " + LINE_B + ", which is not in the config: those devices cannot connect or re-register"
                + " there; put the hub back or move them");
    }

    private static String config(String hubs) {
        return """
            accessPolicies:
              - { name: provisioningserviceowner, primaryKey: %s,
                  rights: [EnrollmentRead, EnrollmentWrite, RegistrationStatusRead, RegistrationStatusWrite] }
            """.formatted(OWNER_KEY) + hubs;
    }
}
