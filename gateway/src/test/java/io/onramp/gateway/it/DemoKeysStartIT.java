package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.onramp.gateway.app.Gateway;
import io.onramp.gateway.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The shipped conf/onramp.yaml starts as it is, and its start log names each public demo key it runs with. */
class DemoKeysStartIT {

    static final String ADDRESS = "127.0.0.226";

    @TempDir
    Path dir;

    @Test
    void theShippedConfigStartsWithAWarningPerKindOfDemoKey() throws Exception {
        // The shipped file, moved to a test address and a free port: tests never bind 0.0.0.0.
        String shipped = Files.readString(Path.of("../conf/onramp.yaml"));
        Path config = Files.writeString(dir.resolve("onramp.yaml"), shipped
                .replaceFirst("listen: \\{[^}]*}", "listen: { address: " + ADDRESS + ", https: 0, mqtts: -1, amqps: -1 }")
                .replaceFirst("dataDir: \\./data", "dataDir: " + dir.resolve("data")));
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        Logger gatewayLog = (Logger) LoggerFactory.getLogger(Gateway.class);
        gatewayLog.addAppender(log);
        log.start();
        Gateway gateway = Gateway.start(new ConfigLoader(Map.of(), dir).load(config))
                .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        try {
            assertThat(log.list).filteredOn(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                    .filteredOn(line -> line.contains("demo key"))
                    .satisfiesExactly(
                            line -> assertThat(line).contains("in accessPolicies[0].primaryKey: "),
                            line -> assertThat(line).contains("in hubs[0].ownerKey, hubs[1].ownerKey: "),
                            line -> assertThat(line).contains("in enrollmentGroups[0].attestation.symmetricKey.primaryKey, "),
                            line -> assertThat(line).contains("in individualEnrollments[0].attestation.symmetricKey.primaryKey: "))
                    .allSatisfy(line -> assertThat(line).startsWith("public demo key shipped in conf/onramp.yaml")
                            .endsWith("e.g. the output of `openssl rand -base64 32`"));
            assertThat(log.list).map(ILoggingEvent::getFormattedMessage).as("on loopback only")
                    .noneMatch(line -> line.startsWith("INSECURE"));

            // AND a reload that brings another demo key in says so, without repeating the others
            log.list.clear();
            Files.writeString(config, Files.readString(config).replaceFirst("accessPolicies:\n",
                    "accessPolicies:\n  - { name: reader, primaryKey: b25yYW1wLWRlbW8tcHJvdmlzaW9uaW5nLW93bmVyISE=,"
                            + " rights: [EnrollmentRead] }\n"));
            gateway.reload(config.toString(), new ConfigLoader(Map.of(), dir).load(config))
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            assertThat(log.list).filteredOn(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage)
                    .filteredOn(line -> line.contains("demo key"))
                    .singleElement().asString().contains("in accessPolicies[0].primaryKey, accessPolicies[1].primaryKey: ");
        } finally {
            gatewayLog.detachAppender(log);
            gateway.stop().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }
}
