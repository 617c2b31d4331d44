package io.onramp.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.policy.allocation.AllocationDecision;
import io.onramp.policy.allocation.AllocationPolicyKind;
import io.onramp.policy.allocation.AllocationRequest;
import io.onramp.policy.allocation.StaticAllocation;
import io.onramp.policy.enrollment.IndividualEnrollment;
import io.onramp.policy.enrollment.ProvisioningStatus;
import io.onramp.policy.enrollment.SymmetricKeyAttestation;
import io.onramp.policy.registry.HubDescriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    static final String KEY = "S2V5Rm9yVGVzdFZlY3RvcnNPbmx5MDAwMDAwMDAwMDA=";

    @TempDir
    Path dir;

    ConfigLoader loader() {
        return new ConfigLoader(Map.of("SENSORS_KEY", KEY), dir);
    }

    @Test
    void aConfigFileThatCannotBeReadIsSaidInWords() {
        assertThatThrownBy(() -> loader().load(dir.resolve("nope.yaml"))).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems())
                        .containsExactly("cannot read the file: no such file or directory"));
        assertThatThrownBy(() -> loader().load(dir)).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).singleElement().asString()
                        .startsWith("cannot read the file: ").doesNotContain("Exception"));
    }

    @Test
    void theShippedConfigLoads() {
        GatewayConfig config = new ConfigLoader(Map.of(), dir).load(Path.of("../conf/onramp.yaml"));

        assertThat(config.idScope()).isEqualTo("0ne00000001");
        assertThat(config.listen().https()).isEqualTo(443);
        assertThat(config.hubs()).hasSize(2);
        assertThat(config.allocationPolicy()).isEqualTo(AllocationPolicyKind.HASHED);
        assertThat(config.enrollmentGroups()).singleElement()
                .satisfies(g -> assertThat(g.initialTwin().tags()).containsEntry("site", "plant-1"));
        assertThat(config.individualEnrollments()).singleElement()
                .satisfies(e -> assertThat(e.effectiveDeviceId()).isEqualTo("press-7"));
        assertThat(config.tls().selfMade()).isTrue();
        assertThat(config.dataDir()).isEqualTo(dir.resolve("data"));
    }

    @Test
    void defaultsFillWhatIsLeftOut() {
        GatewayConfig config = loader().parse("t", "idScope: 0ne1\n");

        assertThat(config.listen().address()).isEqualTo("0.0.0.0");
        assertThat(config.listen().mqtts()).isEqualTo(8883);
        assertThat(config.listen().mqtt()).as("plaintext MQTT is off unless asked for").isEqualTo(-1);
        assertThat(config.listen().amqps()).isEqualTo(5671);
        assertThat(config.tls().hostNames()).contains("localhost");
        assertThat(config.hubs()).isEmpty();
    }

    @Test
    void secretsComeFromEnvironmentOrFile() throws Exception {
        Files.writeString(dir.resolve("press.key"), KEY + "\n");
        GatewayConfig config = loader().parse("t", """
            idScope: 0ne1
            enrollmentGroups:
              - enrollmentGroupId: sensors
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: { env: SENSORS_KEY } } }
            individualEnrollments:
              - registrationId: press-7
                provisioningStatus: disabled
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: { file: press.key } } }
            """);

        assertThat(((SymmetricKeyAttestation) config.enrollmentGroups().get(0).attestation()).primaryKey()).isEqualTo(KEY);
        IndividualEnrollment press = config.individualEnrollments().get(0);
        assertThat(((SymmetricKeyAttestation) press.attestation()).primaryKey()).isEqualTo(KEY);
        assertThat(press.provisioningStatus()).isEqualTo(ProvisioningStatus.DISABLED);
    }

    @Test
    void everyProblemIsReportedWithItsField() {
        assertThatThrownBy(() -> loader().parse("t", """
            idScope: "0ne-1"
            listen: { https: 70000, mqttWs: 1883 }
            hubs:
              - { hostName: 127.0.0.2, weight: -1, ownerKey: not-base64! }
            allocation: { policy: roundRobin }
            enrollmentGroups:
              - enrollmentGroupId: "bad id"
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: { env: MISSING_VAR } } }
            individualEnrollments:
              - registrationId: press-7
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: c2hvcnQ= } }
              - registrationId: PRESS-7
                provisioningStatus: maybe
                attestation: { type: x509 }
            """))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).anySatisfy(
                                p -> assertThat(p).startsWith("idScope:"))
                        .anySatisfy(p -> assertThat(p).startsWith("listen.https: must be between"))
                        .anySatisfy(p -> assertThat(p).startsWith("listen.mqttWs: unknown field"))
                        .anySatisfy(p -> assertThat(p).startsWith("hubs[0].weight:"))
                        .anySatisfy(p -> assertThat(p).startsWith("hubs[0].ownerKey:"))
                        .anySatisfy(p -> assertThat(p).startsWith("allocation.policy:"))
                        .anySatisfy(p -> assertThat(p).startsWith("enrollmentGroups[0].enrollmentGroupId:"))
                        .anySatisfy(p -> assertThat(p).contains("MISSING_VAR is not set"))
                        .anySatisfy(p -> assertThat(p).startsWith("individualEnrollments[0].attestation.symmetricKey.primaryKey:")
                                .contains("16 to 64 bytes"))
                        .anySatisfy(p -> assertThat(p).startsWith("individualEnrollments[1].provisioningStatus:"))
                        .anySatisfy(p -> assertThat(p).startsWith("individualEnrollments[1].attestation.x509:")));
    }

    @Test
    void duplicateRegistrationIdsAreRefusedCaseInsensitively() {
        assertThatThrownBy(() -> loader().parse("t", """
            idScope: 0ne1
            individualEnrollments:
              - { registrationId: press-7, attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } } }
              - { registrationId: Press-7, attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } } }
            """.formatted(KEY, KEY)))
                .hasMessageContaining("individualEnrollments: 'press-7' appears more than once");
    }

    @Test
    void aConfigEnrollmentMustNameItsKey() {
        assertThatThrownBy(() -> loader().parse("t", """
            idScope: 0ne1
            individualEnrollments: [ { registrationId: press-7, attestation: { type: symmetricKey } } ]
            """)).hasMessageContaining("individualEnrollments[0].attestation.symmetricKey.primaryKey: is required");
    }

    @Test
    void configEnrollmentsKeepDeviceInformationAndTheWebhookAsTheApiDoes() {
        GatewayConfig config = loader().parse("t", """
            idScope: 0ne1
            individualEnrollments:
              - registrationId: press-7
                optionalDeviceInformation: { model: TS-400, line: 7 }
                allocationPolicy: custom
                customAllocationDefinition: { webhookUrl: "https://alloc.plant1.example/api", apiVersion: "2021-10-01" }
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
            """.formatted(KEY));
        IndividualEnrollment press = config.individualEnrollments().get(0);
        assertThat(press.optionalDeviceInformation()).containsEntry("model", "TS-400").containsEntry("line", 7);
        assertThat(press.customAllocationDefinition().webhookUrl()).isEqualTo("https://alloc.plant1.example/api");

        assertThatThrownBy(() -> loader().parse("t", """
            idScope: 0ne1
            enrollmentGroups:
              - enrollmentGroupId: sensors
                allocationPolicy: custom
                attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
            """.formatted(KEY)))
                .hasMessageContaining("enrollmentGroups[0].customAllocationDefinition: is required when allocationPolicy is 'custom'");
    }

    @Test
    void locationsMapNetworksAndEachHubsLocationMustBeOneOfThem() {
        GatewayConfig config = loader().parse("t", """
            idScope: 0ne1
            hubs:
              - { name: line-a, hostName: 127.0.0.2, location: Hall-A, ownerKey: %s }
              - { name: line-b, hostName: 127.0.0.3, ownerKey: %s }
            allocation: { policy: geoLatency, locations: { hall-a: [10.1.0.0/16, "fd00:a::/32"], hall-b: [10.2.3.4] } }
            """.formatted(KEY, KEY));
        assertThat(config.allocationPolicy()).isEqualTo(AllocationPolicyKind.GEO_LATENCY);
        assertThat(config.allocationLocations()).containsEntry("hall-a", java.util.List.of("10.1.0.0/16", "fd00:a::/32"));
        assertThat(config.hubs()).extracting(GatewayConfig.HubConfig::location).containsExactly("Hall-A", null);

        assertThatThrownBy(() -> loader().parse("t", """
            idScope: 0ne1
            hubs: [ { name: line-a, hostName: 127.0.0.2, location: hall-c, ownerKey: %s } ]
            allocation: { policy: custom, locations: { hall-a: [10.1.0.0/33, plant.example], hall-b: [10.2.0.0/16] } }
            """.formatted(KEY)))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).satisfiesExactlyInAnyOrder(
                        p -> assertThat(p).isEqualTo("allocation.policy: unknown value 'custom', allowed: hashed,"
                                + " geoLatency, static"),
                        p -> assertThat(p).startsWith("allocation.locations.hall-a: '10.1.0.0/33'"),
                        p -> assertThat(p).startsWith("hubs[0].location: 'hall-c' is not one of allocation.locations")));
    }

    @Test
    void aNetworkInTwoLocationsIsRefused() {
        assertThatThrownBy(() -> loader().parse("t", """
            idScope: 0ne1
            allocation: { policy: geoLatency, locations: { hall-a: [10.1.0.0/16], hall-b: [10.1.0.0/16] } }
            """))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactly(
                        "allocation.locations: '10.1.0.0/16' is a network of both hall-a and hall-b: give it to one"));
    }

    @Test
    void theWebhookClientHasDefaultsAndItsCaFileIsChecked() throws Exception {
        assertThat(loader().parse("t", "idScope: 0ne1\n").allocationWebhook())
                .isEqualTo(GatewayConfig.AllocationWebhookConfig.DEFAULTS);
        Files.writeString(dir.resolve("not-a-cert.pem"), "hello");

        assertThatThrownBy(() -> loader().parse("t", """
            idScope: 0ne1
            allocation: { policy: hashed, webhook: { timeoutSeconds: 0, caCertificate: not-a-cert.pem, retries: 2 } }
            """))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).satisfiesExactlyInAnyOrder(
                        p -> assertThat(p).startsWith("allocation.webhook.retries: unknown field"),
                        p -> assertThat(p).startsWith("allocation.webhook.timeoutSeconds: ").contains("1"),
                        p -> assertThat(p).startsWith("allocation.webhook.caCertificate: ")
                                .contains(dir.resolve("not-a-cert.pem").toString())));
    }

    @Test
    void brokenYamlAndMissingFileAreClearErrors() {
        assertThatThrownBy(() -> loader().parse("t", "idScope: [unclosed\n")).hasMessageContaining("not valid YAML");
        assertThatThrownBy(() -> loader().load(dir.resolve("absent.yaml"))).hasMessageContaining("cannot read");
        assertThatThrownBy(() -> loader().parse("t", "just a string")).hasMessageContaining("YAML mapping");
    }

    @Test
    void anEnrollmentMayOnlyNameConfiguredHubs() {
        assertThatThrownBy(() -> loader().parse("t", """
                idScope: 0ne1
                hubs: [ { name: line-a, hostName: 127.0.0.2, ownerKey: %s } ]
                enrollmentGroups:
                  - enrollmentGroupId: sensors
                    iotHubs: [line-a, 127.0.0.2, 127.0.0.9]
                    attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
                individualEnrollments:
                  - registrationId: press-7
                    iotHubHostName: hub.elsewhere.example
                    attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
                """.formatted(KEY, KEY, KEY)))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "enrollmentGroups[0].iotHubs: '127.0.0.9' is not one of the configured hubs",
                        "individualEnrollments[0].iotHubHostName: 'hub.elsewhere.example' is not one of the"
                                + " configured hubs"));
    }

    @Test
    void aHubMustHaveAnOwnerKey() {
        assertThatThrownBy(() -> loader().parse("t", "idScope: 0ne1\nhubs: [ { hostName: 127.0.0.2 } ]\n"))
                .hasMessageContaining("hubs[0].ownerKey: is required");
    }

    @Test
    void onlyHalfOfTheTlsMaterialIsAnError() {
        assertThatThrownBy(() -> loader().parse("t", "idScope: 0ne1\ntls: { certificate: server.pem }\n"))
                .hasMessageContaining("tls: give both 'certificate' and 'privateKey'");
    }

    @Test
    void listenMayBindSeveralAddresses() {
        GatewayConfig config = new ConfigLoader(Map.of(), Path.of("")).parse("test", """
            idScope: 0ne00000001
            listen: { address: [127.0.0.10, 127.0.0.2], mqtt: 1883 }
            """);

        assertThat(config.listen().addresses()).containsExactly("127.0.0.10", "127.0.0.2");
        assertThat(config.listen().address()).isEqualTo("127.0.0.10");
        assertThat(config.listen().mqtt()).isEqualTo(1883);
    }

    @Test
    void hubNamesMustPickOneHub() {
        assertThatThrownBy(() -> loader().parse("t", """
                idScope: 0ne1
                hubs:
                  - { name: line-a, hostName: 127.0.0.2, ownerKey: %s }
                  - { name: LINE-A, hostName: 127.0.0.3, ownerKey: %s }
                  - { name: 127.0.0.2, hostName: 127.0.0.4, ownerKey: %s }
                """.formatted(KEY, KEY, KEY)))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "hubs[1].name: 'LINE-A' appears more than once: give each hub its own name",
                        "hubs[2].name: '127.0.0.2' is the host name of hubs[0]: give this hub another name"));
    }

    @Test
    void anEnrollmentNamingAHubByNameGetsItsHostName() {
        GatewayConfig config = loader().parse("t", """
                idScope: 0ne1
                hubs:
                  - { name: line-a, hostName: 127.0.0.2, ownerKey: %s }
                  - { name: line-b, hostName: 127.0.0.3, ownerKey: %s }
                allocation: { policy: static }
                enrollmentGroups:
                  - enrollmentGroupId: sensors
                    iotHubs: [Line-A, 127.0.0.2, line-b]
                    attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
                individualEnrollments:
                  - registrationId: press-7
                    iotHubHostName: line-b
                    attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
                """.formatted(KEY, KEY, KEY, KEY));

        assertThat(config.enrollmentGroups().get(0).iotHubs()).containsExactly("127.0.0.2", "127.0.0.3");
        IndividualEnrollment press = config.individualEnrollments().get(0);
        assertThat(press.iotHubHostName()).isEqualTo("127.0.0.3");
        // what the static policy then does with it: the hub, not 400208
        var linked = config.hubs().stream().map(h -> new HubDescriptor(h.name(), h.hostName(), h.weight(), true)).toList();
        assertThat(new StaticAllocation().allocate(new AllocationRequest("press-7", linked, press.iotHubs(),
                press.iotHubHostName()))).isEqualTo(new AllocationDecision.Assigned(linked.get(1)));
    }

    @Test
    void aKeyTwiceInOneMappingIsNamedWithItsLine() {
        assertThatThrownBy(() -> loader().parse("t", "idScope: 0ne1\nidScope: 0ne2\n")).isInstanceOfSatisfying(
                ConfigException.class, e -> assertThat(e.problems()).containsExactly("idScope: the key 'idScope' appears"
                        + " twice in one mapping at line 2 (keep one: the last would otherwise win silently)"));
        assertThatThrownBy(() -> loader().parse("t", "idScope: 0ne1\nlisten: { https: 8443, https: 443 }\n"))
                .hasMessageContaining("listen.https: the key 'https' appears twice in one mapping at line 2");
        assertThatThrownBy(() -> loader().parse("t", """
                idScope: 0ne1
                hubs:
                  - { name: line-a, hostName: 127.0.0.2, ownerKey: %s }
                  - name: line-b
                    hostName: 127.0.0.3
                    hostName: 127.0.0.4
                """.formatted(KEY))).hasMessageContaining("hubs[1].hostName: the key 'hostName' appears twice in one"
                        + " mapping at line 6");
    }

    @Test
    void nothingMayFollowTheSettingsMapping() {
        // The first line indented: YAML's first mapping ends at line 1, and the hubs after it were dropped silently.
        assertThatThrownBy(() -> loader().parse("t", """
                  idScope: 0ne1
                hubs:
                  - { name: line-a, hostName: 127.0.0.2, ownerKey: %s }
                """.formatted(KEY))).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .containsExactly("not valid YAML: more follows the settings' mapping at line 2 (a second"
                                + " document, or the mapping's first line indented unlike the rest): the file must be"
                                + " one mapping of settings"));
        assertThatThrownBy(() -> loader().parse("t", "idScope: 0ne1\n---\nidScope: 0ne2\n"))
                .hasMessageContaining("more follows the settings' mapping");
        assertThat(loader().parse("t", "---\nidScope: 0ne1\n...\n").idScope()).isEqualTo("0ne1");
    }

    @Test
    void hostNamesAndListenAddressesAreCheckedEachWithItsIndex() throws Exception {
        Files.writeString(dir.resolve("a-file"), "not a directory");
        assertThatThrownBy(() -> loader().parse("t", """
                idScope: 0ne1
                dataDir: a-file/data
                listen: { address: [127.0.0.180, 127.0.0.300, "no such host!", localhost, "::1"] }
                tls: { hostNames: [127.0.0.180, 'bad host name!'] }
                hubs: [ { hostName: "hub one", ownerKey: %s } ]
                """.formatted(KEY))).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                .containsExactlyInAnyOrder(
                        "dataDir: cannot create " + dir.resolve("a-file/data") + ": " + dir.resolve("a-file")
                                + " is a file, not a directory",
                        "listen.address[1]: '127.0.0.300' is not an IP address (e.g. 0.0.0.0, 10.0.0.5 or ::1) nor a host"
                                + " name",
                        "listen.address[2]: 'no such host!' is not an IP address (e.g. 0.0.0.0, 10.0.0.5 or ::1) nor a"
                                + " host name",
                        "tls.hostNames[1]: not an IP literal, nor a DNS name of letters, digits, '-', '_', '.' and '*'"
                                + " (use punycode): bad host name!",
                        "hubs[0].hostName: not an IP literal, nor a DNS name of letters, digits, '-', '_', '.' and '*'"
                                + " (use punycode): hub one"));
        assertThatThrownBy(() -> loader().parse("t", "idScope: 0ne1\nlisten: { address: 10.0.0.300 }\n"))
                .hasMessageContaining("listen.address: '10.0.0.300' is not an IP address");
    }

    @Test
    void enumeratedValuesAreReportedOnceWithWhatIsAllowedThere() {
        assertThatThrownBy(() -> loader().parse("t", """
                idScope: 0ne1
                allocation: { policy: custom }
                individualEnrollments:
                  - registrationId: press-7
                    provisioningStatus: foo
                    attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
                  - registrationId: press-8
                    provisioningStatus: yes
                    attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
                """.formatted(KEY, KEY))).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                .containsExactlyInAnyOrder(
                        "allocation.policy: unknown value 'custom', allowed: hashed, geoLatency, static",
                        "individualEnrollments[0].provisioningStatus: unknown value 'foo', allowed: enabled, disabled",
                        "individualEnrollments[1].provisioningStatus: unknown value 'true', allowed: enabled, disabled"
                                + " (YAML reads a bare yes, no, on, off, true or false as a boolean: write one of the"
                                + " allowed values, or quote the word)"));
        assertThat(loader().parse("t", "idScope: 0ne1\nallocation: { policy: Static }\n").allocationPolicy())
                .isEqualTo(AllocationPolicyKind.STATIC);
    }
}
