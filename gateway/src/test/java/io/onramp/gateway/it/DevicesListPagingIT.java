package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.broker.registry.AuthType;
import io.onramp.broker.registry.DeviceDraft;
import io.onramp.broker.registry.DeviceStatus;
import io.onramp.gateway.support.CommandLine;
import io.onramp.gateway.support.TestGateway;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code onramp devices list} on a hub with more devices than one page of IoT Hub's {@code GET /devices} (1,000),
 * and {@code devices show} of a device whose ID holds the characters IoT Hub allows but a URL path does not.
 */
class DevicesListPagingIT {

    static final String HUB = "127.0.0.152";
    static final String HUB_KEY = "SHViQU93bmVyS2V5Rm9yVGVzdHNPbmx5MDAwMDAwMDA=";
    static final int DEVICES = 2_345;
    static final String ODD_ID = "press#7?(a)$'x";

    @TempDir
    static Path dataDir;
    static TestGateway gateway;
    static Path configFile;

    @BeforeAll
    static void createDevices() throws Exception {
        gateway = TestGateway.start("127.0.0.151", dataDir, """
            hubs: [ { name: line-a, hostName: %s, ownerKey: %s } ]
            """.formatted(HUB, HUB_KEY));
        configFile = gateway.writeConfigFile();
        List<Future<?>> created = new ArrayList<>();
        for (int i = 0; i < DEVICES; i++) {
            created.add(create("bulk-" + i));
        }
        created.add(create(ODD_ID));
        Future.all(created).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private static Future<?> create(String deviceId) {
        return gateway.gateway().deviceRegistry().create(new DeviceDraft(HUB, deviceId, DeviceStatus.ENABLED, null,
                AuthType.SAS, null, null, null, null, false));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void listsEveryDeviceOfALargeHubOnce() {
        String out = new CommandLine(configFile).run(0, "devices", "list");

        List<String> bulk = out.lines().filter(l -> l.startsWith("bulk-")).map(l -> l.split(" +")[0]).toList();
        assertThat(bulk).hasSize(DEVICES).doesNotHaveDuplicates();
        assertThat(out).contains((DEVICES + 1) + " device(s)").contains(ODD_ID + " ");
    }

    @Test
    void showsADeviceWhoseIdNeedsEscapingInAUrl() {
        String out = new CommandLine(configFile).run(0, "devices", "show", ODD_ID);

        assertThat(out).containsPattern("Device +" + java.util.regex.Pattern.quote(ODD_ID))
                .containsPattern("Hub +127\\.0\\.0\\.152 \\(line-a\\)");
    }
}
