package io.onramp.broker.hub;

import io.onramp.broker.mqtt.MqttConnectHandler;
import io.onramp.broker.mqtt.MqttLimits;
import io.onramp.broker.registry.DeviceRegistry;
import io.onramp.certs.sas.SasTokenVerifier;
import io.onramp.certs.x509.ChainValidator;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The hubs this gateway hosts, put together: the MQTT realm devices and consumers connect to, the
 * service side's way to reach devices, device presence, and the telemetry bus forwarders plug into.
 */
public final class HubBroker {

    static final Duration EXPIRY_SWEEP = Duration.ofSeconds(5);

    private final HubRealm realm;
    private final HubMessaging messaging;
    private final ConnectedDevices connected;
    /** A consumer session holds what a connection may: its in-flight window and its queue. */
    private final TelemetryBus telemetry = new TelemetryBus(MqttLimits.DEFAULTS.maxInflight() + MqttLimits.DEFAULTS.maxQueued());
    private final HostedHubs hostedHubs;
    private final HubDevices devices;

    /** {@code authorities}: the CAs that X.509 devices of type certificateAuthority may chain to. */
    public HubBroker(Vertx vertx, Clock clock, List<HostedHub> hubs, DeviceRegistry registry, DeviceTwins twins,
            CloudMessageStore cloudMessages, SasTokenVerifier verifier, Duration clockSkew, ChainValidator chainValidator,
            DeviceCertificateAuthorities authorities) {
        connected = new ConnectedDevices(clock);
        MethodCalls methods = new MethodCalls(vertx, connected);
        CloudToDeviceQueues cloudToDevice = new CloudToDeviceQueues(registry, connected, clock, cloudMessages);
        connected.useQueues(cloudToDevice);
        HubParts parts = new HubParts(vertx, clock, telemetry, twins, methods, cloudToDevice, connected);
        hostedHubs = new HostedHubs(hubs);
        DeviceAuthenticator authenticator = new DeviceAuthenticator(registry, hostedHubs, verifier,
                new CertificateAuthenticator(vertx, clock, chainValidator, authorities));
        realm = new HubRealm(parts, hostedHubs, authenticator, new HubServiceTokens(verifier), clockSkew.toSeconds());
        devices = new HubDevices(parts, hostedHubs, authenticator, clockSkew.toSeconds());
        messaging = new HubMessaging(connected, methods, cloudToDevice);
        // Tokens are checked at CONNECT; this catches those that run out while connected, and reports dropped telemetry.
        vertx.setPeriodic(EXPIRY_SWEEP.toMillis(), id -> {
            connected.closeExpired();
            telemetry.sweep(clock.millis());
        });
        // Loads the counts of waiting messages now, and keeps them true as messages expire.
        cloudToDevice.sweep();
        vertx.setPeriodic(CloudToDeviceQueues.EXPIRY_SWEEP.toMillis(), id -> cloudToDevice.sweep());
    }

    /** The hubs' owner keys changed (the config file): service connections from now on are checked against these. */
    public void useHubs(List<HostedHub> hubs) {
        hostedHubs.use(hubs);
    }

    public MqttConnectHandler realm() {
        return realm;
    }

    /** For protocol heads other than MQTT's realm: AMQP devices. */
    public HubDevices devices() {
        return devices;
    }

    public DeviceMessaging messaging() {
        return messaging;
    }

    public DevicePresence presence() {
        return connected;
    }

    public TelemetryBus telemetry() {
        return telemetry;
    }
}
