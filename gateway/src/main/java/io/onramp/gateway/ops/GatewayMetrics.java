package io.onramp.gateway.ops;

import io.onramp.broker.hub.DevicePresence;
import io.onramp.broker.hub.TelemetryBus;
import io.onramp.broker.hub.TelemetryBus.TelemetryStats;
import io.onramp.gateway.cluster.HazelcastHubRegistry;
import io.onramp.gateway.config.GatewayConfig.HubConfig;
import io.onramp.gateway.provisioning.RegistrationCounts;
import io.onramp.gateway.provisioning.RegistrationStatus;
import io.onramp.gateway.store.Database;
import io.onramp.gateway.transport.AcceptGate;
import io.onramp.gateway.upstream.UpstreamForwarding;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What {@code GET /metrics} answers: the counters an operator watches (registrations by outcome and refusals by
 * error code, each hub's assigned devices, connections and telemetry, the store's health, the heap), in Prometheus's format.
 * Counters count since the start, as Prometheus expects.
 */
public final class GatewayMetrics {

    /** Prometheus's text exposition format, version 0.0.4. */
    public static final String CONTENT_TYPE = PrometheusText.CONTENT_TYPE;

    private final Instant started;
    private final RegistrationCounts registrations;
    private final Supplier<List<HubConfig>> hubs;
    private final HazelcastHubRegistry hubRegistry;
    private final DevicePresence presence;
    private final TelemetryBus telemetry;
    private final Database store;
    private final AcceptGate connections;
    private final Supplier<Instant> serverCertificateNotAfter;
    private final Supplier<List<UpstreamForwarding.Upstream>> upstreams;

    /**
     * {@code hubs}: the gateway's hubs as they are now (a reload may add some); {@code serverCertificateNotAfter}: when
     * the certificate the listeners serve ends (null until known).
     */
    public GatewayMetrics(Instant started, RegistrationCounts registrations, Supplier<List<HubConfig>> hubs,
            HazelcastHubRegistry hubRegistry, DevicePresence presence, TelemetryBus telemetry, Database store,
            AcceptGate connections, Supplier<Instant> serverCertificateNotAfter, Supplier<List<UpstreamForwarding.Upstream>> upstreams) {
        this.started = started;
        this.registrations = registrations;
        this.hubs = hubs;
        this.hubRegistry = hubRegistry;
        this.presence = presence;
        this.telemetry = telemetry;
        this.store = store;
        this.connections = connections;
        this.serverCertificateNotAfter = serverCertificateNotAfter;
        this.upstreams = upstreams;
    }

    /** Blocking: the hubs' device counts are read from the cluster's map. Call on a worker. */
    public String render() {
        PrometheusText text = new PrometheusText();
        text.family("process_start_time_seconds", "gauge", "When the gateway started, in seconds since the epoch.")
                .sample("process_start_time_seconds", started.getEpochSecond());
        registrations(text);
        hubs(text);
        upstreams(text);
        connections(text);
        text.family("onramp_store_up", "gauge", "1 while the store takes writes; 0 when its writer stopped or its last commit failed.")
                .sample("onramp_store_up", store.problem() == null ? 1 : 0);
        text.family("onramp_store_failed_commits_total", "counter", "Groups of writes whose commit failed (each write in it was refused).")
                .sample("onramp_store_failed_commits_total", store.failedCommits());
        Instant notAfter = serverCertificateNotAfter.get();
        if (notAfter != null) {
            text.family("onramp_tls_server_certificate_not_after_seconds", "gauge", "When the server certificate the "
                    + "listeners serve ends, in seconds since the epoch (a self-made one is issued again 30 days before).")
                    .sample("onramp_tls_server_certificate_not_after_seconds", notAfter.getEpochSecond());
        }
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        text.family("onramp_jvm_heap_used_bytes", "gauge", "Heap in use.").sample("onramp_jvm_heap_used_bytes", heap.getUsed());
        text.family("onramp_jvm_heap_max_bytes", "gauge", "The heap's limit (-Xmx).").sample("onramp_jvm_heap_max_bytes", heap.getMax());
        return text.text();
    }

    private void registrations(PrometheusText text) {
        text.family("onramp_registrations_total", "counter", "Registrations that ended, by status (as the device was told).");
        for (Map.Entry<RegistrationStatus, Long> ended : registrations.ended().entrySet()) {
            text.sample("onramp_registrations_total", Map.of("status", ended.getKey().wireName()), ended.getValue());
        }
        text.family("onramp_registration_refusals_total", "counter",
                "Register requests, registration status reads and provisioning logins (MQTT CONNECT, AMQP SASL or "
                        + "link) refused before any work, "
                        + "by the Azure errorCode the device got.");
        registrations.refused().forEach((code, count) ->
                text.sample("onramp_registration_refusals_total", Map.of("error_code", code.toString()), count));
        text.family("onramp_tpm_challenges_total", "counter", "TPM challenges sent (the first step of a TPM registration).")
                .sample("onramp_tpm_challenges_total", registrations.tpmChallenges());
        text.family("onramp_attestations_throttled_total", "counter", "Attempts answered 429001 without being checked, "
                + "their client address having spent its refusal budget (refusedAttestations), over every transport.")
                .sample("onramp_attestations_throttled_total", registrations.throttledAttempts());
        text.family("onramp_allocation_webhook_calls_total", "counter", "Calls of custom allocation webhooks, by outcome:"
                + " placed (the device went to the hub answered) or failed (no answer in time, an error status, an answer"
                + " not usable: the registration failed with 400208).");
        text.sample("onramp_allocation_webhook_calls_total", Map.of("outcome", "placed"), registrations.webhookPlaced());
        text.sample("onramp_allocation_webhook_calls_total", Map.of("outcome", "failed"), registrations.webhookFailed());
    }

    private void hubs(PrometheusText text) {
        List<HubConfig> hubs = this.hubs.get();
        Map<String, Long> stored = hubRegistry.deviceCounts();
        text.family("onramp_hub_assigned_devices", "gauge",
                "Devices assigned to each hub, hosted here or linked: the counts the allocation policy weighs.");
        for (HubConfig hub : hubs) {
            text.sample("onramp_hub_assigned_devices", hubLabels(hub),
                    stored.getOrDefault(hub.hostName().toLowerCase(Locale.ROOT), 0L));
        }
        List<HubConfig> hosted = hubs.stream().filter(HubConfig::hosted).toList();
        text.family("onramp_hub_connected_devices", "gauge", "Devices connected now to each hub hosted here.");
        for (HubConfig hub : hosted) {
            text.sample("onramp_hub_connected_devices", hubLabels(hub), presence.connectedCount(hub.hostName()));
        }
        Map<HubConfig, TelemetryStats> stats = new LinkedHashMap<>();
        hosted.forEach(hub -> stats.put(hub, telemetry.stats(hub.hostName())));
        text.family("onramp_hub_telemetry_messages_total", "counter", "Telemetry messages each hosted hub took from its devices.");
        stats.forEach((hub, counts) -> text.sample("onramp_hub_telemetry_messages_total", hubLabels(hub), counts.received()));
        text.family("onramp_hub_telemetry_dropped_total", "counter",
                "Telemetry dropped: with no consumer connected or waiting, or at a consumer's full queue (once per consumer).");
        stats.forEach((hub, counts) -> {
            text.sample("onramp_hub_telemetry_dropped_total", withReason(hub, "no_consumer"), counts.droppedNoConsumer());
            text.sample("onramp_hub_telemetry_dropped_total", withReason(hub, "queue_full"), counts.droppedQueueFull());
        });
    }

    /** Only the hubs that forward upstream have these: a family with no sample would be noise. */
    private void upstreams(PrometheusText text) {
        List<UpstreamForwarding.Upstream> upstreams = this.upstreams.get();
        if (upstreams.isEmpty()) {
            return;
        }
        text.family("onramp_upstream_connected", "gauge", "1 while the hub's upstream broker is connected, else 0.");
        upstreams.forEach(u -> text.sample("onramp_upstream_connected", hubLabels(u.hub()), u.connected() ? 1 : 0));
        text.family("onramp_upstream_outbox_messages", "gauge",
                "Telemetry messages in the hub's outbox on disk that the upstream has not acknowledged yet.");
        upstreams.forEach(u -> text.sample("onramp_upstream_outbox_messages", hubLabels(u.hub()), u.outbox().waitingCount()));
        text.family("onramp_upstream_outbox_bytes", "gauge", "Their size, against upstream.outboxMegabytes.");
        upstreams.forEach(u -> text.sample("onramp_upstream_outbox_bytes", hubLabels(u.hub()), u.outbox().waitingBytes()));
        text.family("onramp_upstream_forwarded_total", "counter", "Telemetry messages the upstream acknowledged.");
        upstreams.forEach(u -> text.sample("onramp_upstream_forwarded_total", hubLabels(u.hub()), u.forwarded()));
        text.family("onramp_upstream_refused_total", "counter",
                "Telemetry messages refused because the outbox was full (their devices were disconnected and keep them).");
        upstreams.forEach(u -> text.sample("onramp_upstream_refused_total", hubLabels(u.hub()), u.refused()));
        text.family("onramp_upstream_dropped_total", "counter", "Telemetry messages the upstream could never take (over its"
                + " maxMessageBytes, or an IoT hub's 256 KiB with the properties saying who sent them), dropped with an ERROR"
                + " each.");
        upstreams.forEach(u -> text.sample("onramp_upstream_dropped_total", hubLabels(u.hub()), u.dropped()));
    }

    private void connections(PrometheusText text) {
        text.family("onramp_connections_open", "gauge", "Connections open now over every listener.")
                .sample("onramp_connections_open", connections.open());
        text.family("onramp_connections_max", "gauge", "Connections the gateway holds at once (connections.max).")
                .sample("onramp_connections_max", connections.limits().max());
        text.family("onramp_connections_refused_total", "counter",
                "Connections closed as they were accepted: over connections.max, or over connections.perAddress from one address.");
        text.sample("onramp_connections_refused_total", Map.of("reason", "max"), connections.refusedOverMax());
        text.sample("onramp_connections_refused_total", Map.of("reason", "per_address"), connections.refusedOverPerAddress());
    }

    private static Map<String, String> hubLabels(HubConfig hub) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("hub", hub.name());
        labels.put("host", hub.hostName());
        return labels;
    }

    private static Map<String, String> withReason(HubConfig hub, String reason) {
        Map<String, String> labels = hubLabels(hub);
        labels.put("reason", reason);
        return labels;
    }
}
