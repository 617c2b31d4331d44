package io.onramp.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped config's public keys are warned of at start, field by field, and loudly beyond loopback. */
class DemoKeysTest {

    static final Path SHIPPED_CONFIG = Path.of("../conf/onramp.yaml");
    static final String OWN_KEY = "RGVtb0tleXNUZXN0T3duS2V5Rm9yVGVzdHNPbmx5MDA=";

    @TempDir
    Path dir;

    @Test
    void theListHoldsEveryKeyOfTheShippedConfigAndNoOther() throws Exception {
        List<String> keys = new ArrayList<>();
        collectKeys(new ObjectMapper(new YAMLFactory()).readTree(Files.readString(SHIPPED_CONFIG)), keys);

        assertThat(keys).as("every *Key field of " + SHIPPED_CONFIG + ": change DemoKeys.SHIPPED with them")
                .hasSizeGreaterThanOrEqualTo(6).containsExactlyInAnyOrderElementsOf(DemoKeys.SHIPPED);
    }

    @Test
    void theShippedConfigIsWarnedOfByKindNamingEachFieldAndAsOpenToTheNetwork() {
        GatewayConfig config = new ConfigLoader(Map.of(), dir).load(SHIPPED_CONFIG);

        assertThat(DemoKeys.warnings(config)).containsExactly(
                "public demo key shipped in conf/onramp.yaml in accessPolicies[0].primaryKey: anyone can sign service API"
                        + " tokens with it, with that policy's rights (enrollments and their keys); " + DemoKeys.FIX,
                "public demo key shipped in conf/onramp.yaml in hubs[0].ownerKey, hubs[1].ownerKey: anyone can sign the"
                        + " hub's iothubowner tokens with it (every device's key in the hub's registry); " + DemoKeys.FIX,
                "public demo key shipped in conf/onramp.yaml in enrollmentGroups[0].attestation.symmetricKey.primaryKey,"
                        + " enrollmentGroups[0].attestation.symmetricKey.secondaryKey: anyone can derive the key of any"
                        + " registration ID from it and provision devices of their own; " + DemoKeys.FIX,
                "public demo key shipped in conf/onramp.yaml in individualEnrollments[0].attestation.symmetricKey"
                        + ".primaryKey: anyone can provision as that device; " + DemoKeys.FIX,
                "INSECURE: listen.address 0.0.0.0 is reachable from the network and the public demo keys above are in use:"
                        + " anyone who can reach this gateway can use them. Replace them before devices rely on it, or set"
                        + " listen.address: 127.0.0.1 until then");
        assertThat(DemoKeys.FIX).contains("openssl rand -base64 32");
    }

    @Test
    void onLoopbackTheKeysAreWarnedOfButNotAsOpenToTheNetwork() throws Exception {
        String shipped = Files.readString(SHIPPED_CONFIG).replaceFirst("address: 0\\.0\\.0\\.0", "address: [127.0.0.226, localhost]");
        GatewayConfig config = new ConfigLoader(Map.of(), dir).parse("t", shipped);

        assertThat(DemoKeys.warnings(config)).hasSize(4).noneMatch(line -> line.startsWith("INSECURE"));
    }

    @Test
    void aDemoKeyFromTheEnvironmentIsOneToo() {
        String demo = DemoKeys.SHIPPED.iterator().next();
        GatewayConfig config = new ConfigLoader(Map.of("ONRAMP_KEY", demo), dir).parse("t", """
                idScope: 0ne1
                listen: { address: 127.0.0.226 }
                accessPolicies:
                  - { name: a, primaryKey: %s, secondaryKey: { env: ONRAMP_KEY }, rights: [EnrollmentRead] }
                """.formatted(OWN_KEY));

        assertThat(DemoKeys.warnings(config)).singleElement().asString()
                .startsWith("public demo key shipped in conf/onramp.yaml in accessPolicies[0].secondaryKey: ");
    }

    @Test
    void ownKeysOnEveryAddressAreNotWarnedOf() {
        GatewayConfig config = new ConfigLoader(Map.of(), dir).parse("t", """
                idScope: 0ne1
                listen: { address: 0.0.0.0 }
                accessPolicies:
                  - { name: a, primaryKey: %1$s, rights: [EnrollmentRead] }
                hubs:
                  - { name: line-a, hostName: 127.0.0.226, ownerKey: %1$s }
                enrollmentGroups:
                  - { enrollmentGroupId: g, attestation: { type: symmetricKey, symmetricKey: { primaryKey: %1$s } } }
                """.formatted(OWN_KEY));

        assertThat(DemoKeys.warnings(config)).isEmpty();
    }

    /** Every text value of a field whose name ends in Key (primaryKey, secondaryKey, ownerKey), anywhere. */
    private static void collectKeys(JsonNode node, List<String> keys) {
        node.fields().forEachRemaining(field -> {
            if (field.getKey().endsWith("Key") && field.getValue().isTextual()) {
                keys.add(field.getValue().asText());
            }
        });
        node.elements().forEachRemaining(child -> collectKeys(child, keys));
    }
}
