package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.support.RawDps;
import io.onramp.gateway.support.RawHttps;
import io.onramp.gateway.support.TestGateway;
import io.onramp.policy.allocation.AllocationDecision;
import io.onramp.policy.allocation.AllocationRequest;
import io.onramp.policy.allocation.HashedAllocation;
import io.onramp.policy.registry.HubDescriptor;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lowest-latency policy (geoLatency): a device goes to a hub of the location its address is in. Devices
 * register from chosen loopback addresses (127.0.1.x in hall A, 127.0.2.x in hall B), as a factory's halls would
 * from their own networks.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GeoLatencyAllocationIT {

    static final String GROUP_KEY = "R2VvTGF0ZW5jeUdyb3VwS2V5Rm9yVGVzdHNPbmx5MDA=";
    static final String HUBS = """
        hubs:
          - { name: line-a, hostName: 127.0.0.2, location: hall-a, ownerKey: SHViQU93bmVyS2V5Rm9yVGVzdHNPbmx5MDAwMDAwMDA= }
          - { name: line-b, hostName: 127.0.0.3, location: hall-b, ownerKey: SHViQk93bmVyS2V5Rm9yVGVzdHNPbmx5MDAwMDAwMDA= }
          - { name: line-c, hostName: 127.0.0.4, location: hall-b, ownerKey: U3BhcmVPd25lcktleUZvclRlc3RzT25seTAwMDAwMDA= }
        enrollmentGroups:
          - enrollmentGroupId: sensors
            attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
        """.formatted(GROUP_KEY);

    @TempDir
    static Path dataDir;
    static TestGateway gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = TestGateway.startWatchingConfigFile("127.0.0.162", dataDir, HUBS + """
            allocation: { policy: geoLatency, locations: { hall-a: [127.0.1.0/24], hall-b: [127.0.2.0/24] } }
            """);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    @Order(1)
    void aDeviceGoesToAHubOfItsHallAndWithoutAHallToAnyByHash() throws Exception {
        Set<String> hallB = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            assertThat(registerFrom("127.0.1." + (10 + i), "a-" + i)).isEqualTo("127.0.0.2");
            hallB.add(registerFrom("127.0.2." + (10 + i), "b-" + i));
        }
        // Hall B has two hubs of equal weight: its devices are spread over both, and go nowhere else.
        assertThat(hallB).containsExactlyInAnyOrder("127.0.0.3", "127.0.0.4");
        // A device whose address is in no hall is hashed over every hub.
        List<HubDescriptor> all = List.of(new HubDescriptor("line-a", "127.0.0.2", 1, true),
                new HubDescriptor("line-b", "127.0.0.3", 1, true), new HubDescriptor("line-c", "127.0.0.4", 1, true));
        for (int i = 0; i < 6; i++) {
            String id = "elsewhere-" + i;
            AllocationDecision expected = new HashedAllocation().allocate(new AllocationRequest(id, all, List.of(), null));
            assertThat(registerFrom("127.0.3.10", id)).isEqualTo(((AllocationDecision.Assigned) expected).hub().hostName());
        }
    }

    @Test
    @Order(2)
    void locationsEditedInTheConfigFileApplyToTheNextRegistration() throws Exception {
        // WHEN the halls' networks are swapped in the running gateway's config file
        gateway.rewriteConfigFile(HUBS + """
            allocation: { policy: geoLatency, locations: { hall-a: [127.0.2.0/24], hall-b: [127.0.1.0/24] } }
            """);
        gateway.reloadConfigNow();

        // THEN a device from 127.0.2.x is in hall A now
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String hub;
        int attempt = 0;
        do {
            hub = registerFrom("127.0.2.77", "swapped-" + attempt++);
        } while (!hub.equals("127.0.0.2") && System.nanoTime() < deadline);
        assertThat(hub).isEqualTo("127.0.0.2");
        assertThat(registerFrom("127.0.1.77", "swapped-b")).isIn("127.0.0.3", "127.0.0.4");
    }

    /** Registers over HTTPS from the local address {@code source} and polls: the hub the device was assigned. */
    private static String registerFrom(String source, String registrationId) throws Exception {
        String token = RawDps.token(registrationId, SymmetricKeys.deriveDeviceKey(GROUP_KEY, registrationId));
        String base = "/" + TestGateway.ID_SCOPE + "/registrations/" + registrationId;
        JsonObject accepted = call(source, "PUT", base + "/register?" + RawDps.API, token,
                new JsonObject().put("registrationId", registrationId).encode());
        String operation = accepted.getString("operationId");
        for (int i = 0; i < 100; i++) {
            JsonObject polled = call(source, "GET", base + "/operations/" + operation + "?" + RawDps.API, token, null);
            if (!"assigning".equals(polled.getString("status"))) {
                assertThat(polled.getString("status")).as(polled.encode()).isEqualTo("assigned");
                return polled.getJsonObject("registrationState").getString("assignedHub");
            }
            Thread.sleep(50);
        }
        throw new AssertionError(registrationId + " was not assigned");
    }

    /** One request on a connection of its own from {@code source}: blocking sockets, each step with its timeout. */
    private static JsonObject call(String source, String method, String path, String token, String body)
            throws Exception {
        byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + path + " HTTP/1.1\r\nHost: " + gateway.address() + "\r\nAuthorization: " + token
                + "\r\nContent-Type: application/json\r\nContent-Length: " + content.length + "\r\nConnection: close\r\n\r\n";
        byte[] request = new byte[head.length() + content.length];
        System.arraycopy(head.getBytes(StandardCharsets.ISO_8859_1), 0, request, 0, head.length());
        System.arraycopy(content, 0, request, head.length(), content.length);
        RawHttps.Answer answer = RawHttps.exchangeFrom(source, gateway, request, false);
        assertThat(answer.status()).as(method + " " + path + " from " + source + ": " + answer.head()).isIn(200, 202);
        return new JsonObject(answer.body());
    }
}
