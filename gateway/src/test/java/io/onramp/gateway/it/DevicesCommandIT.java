package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.broker.registry.AuthType;
import io.onramp.broker.registry.DeviceDraft;
import io.onramp.broker.registry.DeviceStatus;
import io.onramp.broker.twin.TwinUpdate;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.app.MainAccess;
import io.onramp.gateway.cli.Console;
import io.onramp.gateway.support.RawDps;
import io.onramp.gateway.support.TestGateway;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** {@code onramp devices list} and {@code devices show} against a running gateway, as an operator would use them. */
class DevicesCommandIT {

    static final String GROUP_KEY = "R3JvdXBLZXlGb3JUZXN0VmVjdG9yc09ubHkwMDAwMDA=";
    static final String HUB_A_KEY = "SHViQU93bmVyS2V5Rm9yVGVzdHNPbmx5MDAwMDAwMDA=";
    static final String HUB_B_KEY = "SHViQk93bmVyS2V5Rm9yVGVzdHNPbmx5MDAwMDAwMDA=";

    @TempDir
    static Path dataDir;
    static TestGateway gateway;
    static Path configFile;

    @BeforeAll
    static void registerDevices() throws Exception {
        gateway = TestGateway.start("127.0.0.12", dataDir, """
            hubs:
              - { name: line-a, hostName: 127.0.0.2, ownerKey: %s }
              - { name: line-b, hostName: 127.0.0.3, ownerKey: %s }
            enrollmentGroups:
              - enrollmentGroupId: sensors
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
            """.formatted(HUB_A_KEY, HUB_B_KEY, GROUP_KEY));
        configFile = gateway.writeConfigFile();
        RawDps dps = new RawDps(gateway);
        for (int i = 0; i < 6; i++) {
            String id = "cli-dev-" + i;
            dps.registerAndPoll(id, RawDps.token(id, SymmetricKeys.deriveDeviceKey(GROUP_KEY, id)));
        }
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void listsEveryDeviceWithItsHub() {
        String out = run("devices", "list", "--config", configFile.toString());

        assertThat(out).contains("DEVICE ID", "HUB", "AUTH", "STATUS", "CREATED").contains("6 device(s)");
        for (int i = 0; i < 6; i++) {
            assertThat(out).containsPattern("cli-dev-" + i + " +127\\.0\\.0\\.[23] +sas +enabled +20\\d\\d-");
        }
    }

    @Test
    void filtersByHub() {
        String all = run("devices", "list", "--config", configFile.toString());
        String lineA = run("devices", "list", "--hub", "line-a", "--config", configFile.toString());
        String lineB = run("devices", "list", "--hub", "127.0.0.3", "--config", configFile.toString());

        long inA = lineA.lines().filter(l -> l.startsWith("cli-dev-")).count();
        long inB = lineB.lines().filter(l -> l.startsWith("cli-dev-")).count();
        assertThat(inA + inB).isEqualTo(6);
        assertThat(lineA).doesNotContain("127.0.0.3 ");
        assertThat(lineB).doesNotContain("127.0.0.2 ");
        assertThat(all.lines().filter(l -> l.startsWith("cli-dev-")).count()).isEqualTo(6);
    }

    @Test
    void anUnknownHubIsAClearError() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = MainAccess.run(new String[] {"devices", "list", "--hub", "nope", "--config", configFile.toString()},
                new Console(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err)));
        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no hub named nope");
    }

    @Test
    void showsOneDeviceWithItsConnectionAndTwin() throws Exception {
        String hub = gateway.gateway().deviceRegistry().list(null, 100).toCompletionStage().toCompletableFuture().get()
                .stream().filter(d -> d.deviceId().equals("cli-dev-1")).findFirst().orElseThrow().hubHostName();
        gateway.gateway().deviceRegistry().patchTwin(hub, "cli-dev-1", new TwinUpdate(new JsonObject("{\"line\":\"7\"}"),
                new JsonObject("{\"interval\":30}")), "*").toCompletionStage().toCompletableFuture().get();
        gateway.gateway().deviceRegistry().patchReported(hub, "cli-dev-1", new JsonObject("{\"fw\":\"1.4.2\"}"))
                .toCompletionStage().toCompletableFuture().get();

        String out = run("devices", "show", "cli-dev-1", "--config", configFile.toString());

        assertThat(out).containsPattern("Device +cli-dev-1")
                .containsPattern("Hub +" + hub.replace(".", "\\.") + " \\(line-[ab]\\)")
                .containsPattern("Status +enabled")
                .containsPattern("Auth +sas")
                .containsPattern("Connection +Disconnected, never connected")
                .containsPattern("Last activity +never")
                .containsPattern("Twin +version 2, etag AAAAAAAAAAI=")
                .containsPattern("Tags +\\{\"line\":\"7\"}")
                .containsPattern("Desired +\\{\"interval\":30} +\\(\\$version 2\\)")
                .containsPattern("Reported +\\{\"fw\":\"1.4.2\"} +\\(\\$version 2\\)")
                .doesNotContain("$metadata");
        assertThat(run("devices", "show", "cli-dev-1", "--hub", hub, "--config", configFile.toString()))
                .containsPattern("Device +cli-dev-1");
    }

    @Test
    void aDeviceIsDisabledAndEnabledAtItsHubAndItsRegistrationFollows() throws Exception {
        String id = "cli-dev-5";
        String hub = gateway.gateway().deviceRegistry().find("127.0.0.2", id).toCompletionStage().toCompletableFuture()
                .get().isPresent() ? "127.0.0.2" : "127.0.0.3";

        assertThat(run("devices", "disable", id, "--config", configFile.toString()))
                .contains("device " + id + " at " + hub + " is disabled: its connections are closed and new ones refused");
        assertThat(run("devices", "show", id, "--config", configFile.toString())).containsPattern("Status +disabled");
        // A registration keeps the hub identity's status: the device may register but its hub refuses it.
        JsonObject state = new RawDps(gateway).registerAndPoll(id, RawDps.token(id, SymmetricKeys.deriveDeviceKey(GROUP_KEY, id)));
        assertThat(state.getJsonObject("registrationState").getString("assignedHub")).isEqualTo(hub);
        assertThat(gateway.gateway().deviceRegistry().find(hub, id).toCompletionStage().toCompletableFuture().get()
                .orElseThrow().status().wireName()).isEqualTo("disabled");

        assertThat(run("devices", "enable", id, "--hub", hub, "--config", configFile.toString()))
                .contains("device " + id + " at " + hub + " is enabled: it may connect");
        assertThat(run("devices", "show", id, "--config", configFile.toString())).containsPattern("Status +enabled");
    }

    @Test
    void aDeviceIsCreatedWithNewKeysAndItsConnectionStringLetsItIn() throws Exception {
        String printed = run("devices", "create", "plant-gw-1", "--hub", "127.0.0.3", "--config", configFile.toString()).trim();
        assertThat(printed).startsWith("HostName=127.0.0.3;DeviceId=plant-gw-1;SharedAccessKey=");
        String key = printed.substring(printed.indexOf("SharedAccessKey=") + "SharedAccessKey=".length());
        var identity = gateway.gateway().deviceRegistry().find("127.0.0.3", "plant-gw-1").toCompletionStage()
                .toCompletableFuture().get().orElseThrow();
        assertThat(identity.primaryKey()).isEqualTo(key);
        assertThat(identity.secondaryKey()).isNotEqualTo(key);
        assertThat(identity.status()).isEqualTo(DeviceStatus.ENABLED);
        // created once: again would re-key it
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = MainAccess.run(new String[] {"devices", "create", "plant-gw-1", "--hub", "127.0.0.3", "--config",
                configFile.toString()}, new Console(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err)));
        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("device plant-gw-1 is already registered at 127.0.0.3");
        // two hubs here: which one must be said
        err.reset();
        code = MainAccess.run(new String[] {"devices", "create", "plant-gw-2", "--config", configFile.toString()},
                new Console(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err)));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("say at which hub to create the device with --hub HOST");
    }

    @ParameterizedTest
    @ValueSource(strings = {"show", "enable", "disable"})
    void anUnknownDeviceIsAClearError(String verb) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = MainAccess.run(new String[] {"devices", verb, "nobody", "--config", configFile.toString()},
                new Console(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err)));
        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("device nobody is not registered at any configured hub");
    }

    @ParameterizedTest
    @ValueSource(strings = {"show", "enable", "disable"})
    void anIdAtSeveralHubsNeedsTheHub(String verb) throws Exception {
        for (String hub : new String[] {"127.0.0.2", "127.0.0.3"}) {
            gateway.gateway().deviceRegistry().find(hub, "dup-" + verb).compose(found -> found.isPresent()
                    ? io.vertx.core.Future.succeededFuture(found.get())
                    : gateway.gateway().deviceRegistry().create(new DeviceDraft(hub, "dup-" + verb, DeviceStatus.ENABLED, null,
                            AuthType.SAS, GROUP_KEY, GROUP_KEY, null, null, false)))
                    .toCompletionStage().toCompletableFuture().get();
        }
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = MainAccess.run(new String[] {"devices", verb, "dup-" + verb, "--config", configFile.toString()},
                new Console(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err)));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("device dup-" + verb
                + " is registered at 2 hubs: 127.0.0.2 (line-a), 127.0.0.3 (line-b); say which with --hub HOST");
        for (String hub : new String[] {"127.0.0.2", "127.0.0.3"}) {
            assertThat(gateway.gateway().deviceRegistry().find(hub, "dup-" + verb).toCompletionStage().toCompletableFuture()
                    .get().orElseThrow().status()).as("left alone at " + hub).isEqualTo(DeviceStatus.ENABLED);
        }
        String chosen = run("devices", verb, "dup-" + verb, "--hub", "line-b", "--config", configFile.toString());
        assertThat(chosen).contains("127.0.0.3");
        // the other tests count the devices
        for (String hub : new String[] {"127.0.0.2", "127.0.0.3"}) {
            gateway.gateway().deviceRegistry().delete(hub, "dup-" + verb, "*").toCompletionStage().toCompletableFuture().get();
        }
    }

    @Test
    void aGatewayThatIsNotRunningIsNamed() throws Exception {
        int closedPort;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName(gateway.address()))) {
            closedPort = probe.getLocalPort();
        }
        Path stopped = dataDir.resolve("stopped.yaml");
        Files.writeString(stopped, gateway.yaml().replaceFirst("https: \\d+", "https: " + closedPort));
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = MainAccess.run(new String[] {"devices", "list", "--config", stopped.toString()},
                new Console(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err)));

        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Connection refused")
                .contains(gateway.address() + ":" + closedPort).contains("is the gateway running? (./onramp start)")
                .contains("The address is " + stopped + "'s listen; --config FILE names another gateway's config.");
    }

    @Test
    void aConfigWhoseDataDirectoryIsElsewhereIsExplained() throws Exception {
        Path elsewhere = dataDir.resolve("elsewhere.yaml");
        Files.writeString(elsewhere, gateway.yaml().replaceFirst("dataDir: .*", "dataDir: " + dataDir.resolve("not-here")));
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = MainAccess.run(new String[] {"devices", "list", "--config", elsewhere.toString()},
                new Console(new PrintStream(new ByteArrayOutputStream()), new PrintStream(err)));

        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("onramp: cannot read " + dataDir.resolve("not-here").resolve("tls").resolve("ca.pem"))
                .contains("run the command where the gateway runs");
    }

    private static String run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = MainAccess.run(args, new Console(new PrintStream(out), new PrintStream(err)));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }
}
