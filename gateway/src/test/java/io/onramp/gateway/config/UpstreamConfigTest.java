package io.onramp.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.gateway.config.GatewayConfig.UpstreamConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code hubs[].upstream} as the config file gives it, and every mistake named by its field. */
class UpstreamConfigTest {

    static final String KEY = "S2V5Rm9yVGVzdFZlY3RvcnNPbmx5MDAwMDAwMDAwMDA=";

    @TempDir
    Path dir;

    GatewayConfig parse(String upstream) {
        return new ConfigLoader(Map.of("UPSTREAM_PASSWORD", "s3cret"), dir).parse("t", """
            idScope: 0ne1
            hubs: [ { name: line-a, hostName: 127.0.0.2, ownerKey: %s, upstream: %s } ]
            """.formatted(KEY, upstream));
    }

    @Test
    void defaultsAndEveryField() {
        UpstreamConfig plain = parse("{ url: 'mqtt://broker.plant.example' }").hubs().get(0).upstream();
        assertThat(plain).isEqualTo(new UpstreamConfig("broker.plant.example", 1883, false, "onramp-line-a", null, null,
                null, null, null, "", 1024L << 20, null, null, 0));

        UpstreamConfig full = parse("{ url: 'mqtts://[fd00::7]:18883', clientId: gw-1, userName: plant,"
                + " password: { env: UPSTREAM_PASSWORD }, topicPrefix: 'plant-1/', outboxMegabytes: 64, maxMessageBytes: 131072 }").hubs().get(0).upstream();
        assertThat(full).isEqualTo(new UpstreamConfig("fd00::7", 18883, true, "gw-1", "plant", "s3cret", null, null, null,
                "plant-1/", 64L << 20, null, null, 131072));
        assertThat(full.address()).isEqualTo("mqtts://[fd00::7]:18883");
        assertThat(full.toString()).doesNotContain("s3cret");
        assertThat(parse("{ url: 'mqtts://broker' }").hubs().get(0).upstream().port()).isEqualTo(8883);
    }

    @Test
    void mistakesAreNamedByTheirField() {
        assertThatThrownBy(() -> parse("{ url: 'http://broker', password: x, topicPrefix: 'a/#', outboxMegabytes: 0,"
                + " keepAlive: 3 }"))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactlyInAnyOrder(
                        "hubs[0].upstream.keepAlive: unknown field (allowed: caCertificate, certificate, clientId,"
                                + " connectionString, maxMessageBytes, outboxMegabytes, password, privateKey, topicPrefix,"
                                + " url, userName)",
                        "hubs[0].upstream.url: must start with mqtt:// or mqtts://, e.g. mqtts://broker.example.com:8883",
                        "hubs[0].upstream.password: needs userName (MQTT 3.1.1 sends no password without a user name)",
                        "hubs[0].upstream.topicPrefix: must not hold the wildcards + or #",
                        "hubs[0].upstream.outboxMegabytes: must be between 1 and 1048576, was 0"));
        assertThatThrownBy(() -> parse("{ url: 'mqtt://user:pw@broker/path', caCertificate: nope.pem }"))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).satisfiesExactlyInAnyOrder(
                        p -> assertThat(p).startsWith("hubs[0].upstream.url: give a host and optionally a port only"),
                        p -> assertThat(p).startsWith("hubs[0].upstream.caCertificate: cannot read certificates from")));
        assertThatThrownBy(() -> parse("{ url: 'mqtts://broker', certificate: client.pem }"))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).satisfiesExactlyInAnyOrder(
                        p -> assertThat(p).startsWith("hubs[0].upstream.certificate: cannot read certificates from"),
                        p -> assertThat(p).isEqualTo("hubs[0].upstream.privateKey: is required with certificate (a client"
                                + " certificate and its key)")));
        assertThatThrownBy(() -> parse("{ url: 'mqtt://broker', privateKey: client.key }"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("hubs[0].upstream.certificate: is required with privateKey");
        assertThatThrownBy(() -> parse("mqtt://broker")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("hubs[0].upstream: must be an object");
        assertThatThrownBy(() -> parse("{ clientId: x }")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("hubs[0].upstream.url: is required");
    }

    @Test
    void anIotHubUpstreamIsADevicesConnectionString() {
        UpstreamConfig hub = parse("{ connectionString: 'HostName=plant.azure-devices.net;DeviceId=gw-1;SharedAccessKey=%s' }"
                .formatted(KEY)).hubs().get(0).upstream();
        assertThat(hub).isEqualTo(new UpstreamConfig("plant.azure-devices.net", 8883, true, "gw-1",
                "plant.azure-devices.net/gw-1/?api-version=2021-04-12", null, null, null, null, "", 1024L << 20, "gw-1", KEY,
                256 * 1024));
        assertThat(hub.iotHub()).isTrue();
        assertThat(hub.toString()).doesNotContain(KEY);
        assertThat(parse("{ connectionString: 'HostName=127.0.0.9:18883;DeviceId=gw;SharedAccessKey=%s' }".formatted(KEY))
                .hubs().get(0).upstream().address()).isEqualTo("mqtts://127.0.0.9:18883");

        assertThatThrownBy(() -> parse("{ connectionString: 'HostName=h;DeviceId=gw;ModuleId=m;SharedAccessKey=%s',"
                .formatted(KEY) + " topicPrefix: p/ }"))
                .isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).containsExactlyInAnyOrder(
                        "hubs[0].upstream.topicPrefix: does not go with connectionString (an IoT hub device's)",
                        "hubs[0].upstream.connectionString: a device's connection string with SharedAccessKey only (no"
                                + " ModuleId, no x509)"));
        assertThatThrownBy(() -> parse("{ connectionString: 'HostName=h:70000;DeviceId=gw;SharedAccessKey=%s' }".formatted(KEY)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("hubs[0].upstream.connectionString: the port after"
                        + " HostName's ':' must be a number from 1 to 65535, not '70000'");
        assertThatThrownBy(() -> parse("{ connectionString: 'HostName=h;DeviceId=gw' }")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("hubs[0].upstream.connectionString: give a device's HostName=…;DeviceId=…;SharedAccessKey=…");
    }

    @Test
    void aHubElsewhereForwardsItsOwnTelemetry() {
        assertThatThrownBy(() -> new ConfigLoader(Map.of(), dir).parse("t", """
            idScope: 0ne1
            hubs:
              - connectionString: HostName=hub.example;SharedAccessKeyName=iothubowner;SharedAccessKey=%s
                upstream: { url: 'mqtt://broker' }
            """.formatted(KEY)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("hubs[0].upstream: applies to a hub hosted here only");
    }
}
