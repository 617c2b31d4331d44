package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.support.GatewayProcess;
import io.onramp.gateway.support.RawDps;
import io.onramp.gateway.support.RawHub;
import io.onramp.gateway.support.TestGateway;
import io.onramp.gateway.support.TestTls;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durable before acknowledged, through the HTTPS head of a real {@code onramp start} process: devices register as
 * fast as {@value #CLIENTS} clients can, the process is killed with SIGKILL while registrations are in flight, and
 * after a restart every registration it had answered 202 reads back assigned to its hub, where its identity holds
 * the key the device proved. H2 keeps committed rows in memory until its next page write (every 100 ms), so
 * without the journal's records a kill loses the latest acknowledged registrations (checked: this test fails with
 * the journal's append left out). A kill leaves the kernel's page cache alone, so it cannot show that the records
 * reached the disk itself; that is the journal's {@code O_DSYNC}. StoreCrashTest kills the store alone, a hundred
 * times over on demand.
 */
class AcknowledgedRegistrationsSurviveKillIT {

    static final String GATEWAY = "127.0.0.70";
    static final String HUB = "127.0.0.71";
    static final String OWNER_KEY = "QWNrbm93bGVkZ2VkU3Vydml2ZUtpbGxPd25lcktleTE=";
    static final String GROUP_KEY = "QWNrbm93bGVkZ2VkU3Vydml2ZUtpbGxHcm91cEtleTE=";
    static final int CLIENTS = 16;
    /** Acknowledged registrations before the kill: enough that the kill finds the store busy. */
    static final int BEFORE_KILL = 400;

    @TempDir
    Path dir;

    @Test
    void everyRegistrationAnswered202BeforeAKillIsAssignedAfterTheRestart() throws Exception {
        Path config = config();
        GatewayProcess first = GatewayProcess.start(config);
        RawDps dps = new RawDps(GATEWAY + ":443", TestTls.trusting(caFile()));
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        List<String> unexpected = new CopyOnWriteArrayList<>();
        AtomicBoolean killing = new AtomicBoolean();

        // GIVEN devices registering from 16 clients at once, each answer 202 noted as it comes
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            clients.submit(() -> {
                for (int n = 0; !killing.get(); n++) {
                    String id = "kill-" + client + "-" + n;
                    try {
                        HttpResponse<String> answer = dps.register(path(id), token(id), body(id));
                        if (answer.statusCode() == 202) {
                            acknowledged.add(id);
                        } else {
                            unexpected.add(id + ": " + answer.statusCode() + " " + answer.body());
                        }
                    } catch (Exception cut) {
                        if (!killing.get()) {
                            unexpected.add(id + ": " + cut);
                        }
                        return;
                    }
                }
            });
        }

        // WHEN the gateway is killed with registrations in flight
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (acknowledged.size() < BEFORE_KILL && unexpected.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        killing.set(true);
        first.kill();
        clients.shutdown();
        assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(unexpected).as("answers other than 202 before the kill").isEmpty();
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(BEFORE_KILL);

        // THEN after a restart each acknowledged registration is assigned, and its hub holds its identity
        GatewayProcess second = GatewayProcess.start(config);
        try {
            assertThat(second.output()).contains("the previous run did not stop cleanly");
            RawHub hub = new RawHub(HUB + ":443", caFile());
            String owner = RawHub.token(HUB, OWNER_KEY, RawHub.OWNER);
            for (String id : acknowledged) {
                HttpResponse<String> read = dps.send("POST", "/" + TestGateway.ID_SCOPE + "/registrations/" + id
                        + "?" + RawDps.API, token(id), body(id));
                assertThat(read.statusCode()).as(id + ": " + read.body()).isEqualTo(200);
                JsonObject state = new JsonObject(read.body());
                assertThat(state.getString("status")).as(id).isEqualTo("assigned");
                assertThat(state.getString("assignedHub")).as(id).isEqualTo(HUB);
                assertThat(state.getString("deviceId")).as(id).isEqualTo(id);
                HttpResponse<String> identity = hub.send("GET", "/devices/" + id, owner, null);
                assertThat(identity.statusCode()).as(id + ": " + identity.body()).isEqualTo(200);
                assertThat(new JsonObject(identity.body()).getJsonObject("authentication")
                        .getJsonObject("symmetricKey").getString("primaryKey")).as(id).isEqualTo(deviceKey(id));
            }
        } finally {
            second.terminate();
        }
    }

    private Path config() throws Exception {
        return GatewayProcess.writeConfig(dir.resolve("onramp.yaml"), dir.resolve("data"), GATEWAY, HUB, OWNER_KEY, GROUP_KEY);
    }

    private Path caFile() {
        return GatewayProcess.caFile(dir.resolve("data"));
    }

    private static String path(String id) {
        return "/" + TestGateway.ID_SCOPE + "/registrations/" + id + "/register?" + RawDps.API;
    }

    private static String body(String id) {
        return new JsonObject().put("registrationId", id).encode();
    }

    private static String deviceKey(String id) {
        return SymmetricKeys.deriveDeviceKey(GROUP_KEY, id);
    }

    private static String token(String id) {
        return RawDps.token(id, deviceKey(id));
    }
}
