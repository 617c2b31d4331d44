package io.onramp.gateway.app;

import io.onramp.broker.hub.HostedHub;
import io.onramp.broker.hub.HubBroker;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.cluster.HazelcastHubRegistry;
import io.onramp.gateway.config.GatewayConfig;
import io.onramp.gateway.config.GatewayConfig.HubConfig;
import io.onramp.gateway.upstream.UpstreamForwarding;
import io.onramp.gateway.http.HubServiceAuthenticator;
import io.onramp.gateway.hub.HubClient;
import io.onramp.gateway.hub.HubDirectory;
import io.onramp.gateway.provisioning.HubAllocator;
import io.onramp.gateway.service.ServiceAuthenticator;
import io.onramp.gateway.store.ConfigEnrollmentChanges;
import io.onramp.gateway.store.JdbcCaCertificateStore;
import io.onramp.gateway.store.JdbcEnrollmentStore;
import io.onramp.policy.registry.HubDescriptor;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.function.Function;

/** The parts of a running gateway that take a changed config file without a restart, and how each takes it. */
final class LiveConfig {

    private final Vertx vertx;
    private final JdbcCaCertificateStore caCertificates;
    private final JdbcEnrollmentStore enrollments;
    private final ServiceAuthenticator serviceApi;
    private final HubServiceAuthenticator hubServiceApi;
    private final HubBroker hubBroker;
    private final HubAllocator allocator;
    private final HazelcastHubRegistry hubRegistry;
    private final HubDirectory hubClients;
    private final Function<HubConfig, HubClient> newHubClient;
    private final UpstreamForwarding upstreams;

    /** {@code newHubClient}: the client of a hub that joins (hosted here, or linked to another gateway). */
    LiveConfig(Vertx vertx, JdbcCaCertificateStore caCertificates, JdbcEnrollmentStore enrollments,
            ServiceAuthenticator serviceApi,
            HubServiceAuthenticator hubServiceApi, HubBroker hubBroker, HubAllocator allocator,
            HazelcastHubRegistry hubRegistry, HubDirectory hubClients, Function<HubConfig, HubClient> newHubClient,
            UpstreamForwarding upstreams) {
        this.vertx = vertx;
        this.caCertificates = caCertificates;
        this.enrollments = enrollments;
        this.serviceApi = serviceApi;
        this.hubServiceApi = hubServiceApi;
        this.hubBroker = hubBroker;
        this.allocator = allocator;
        this.hubRegistry = hubRegistry;
        this.hubClients = hubClients;
        this.newHubClient = newHubClient;
        this.upstreams = upstreams;
    }

    /**
     * CA certificates and enrollments first (groups name the certificates): they are durable and a write may fail,
     * and then the rest has not changed. The rest are swaps of immutable values that registrations and requests read
     * afresh each time. A hub that joins gets its client, then its devices' realm, and only then becomes a candidate
     * of allocation.
     */
    Future<ConfigEnrollmentChanges> apply(GatewayConfig config) {
        return caCertificates.syncConfig(config.caCertificates())
                .compose(v -> enrollments.syncConfig(config.enrollmentGroups(), config.individualEnrollments()))
                .onSuccess(v -> caCertificates.warnAboutUnusableReferences(enrollments.groups()))
                .compose(changes -> vertx.executeBlocking(() -> {
                    serviceApi.usePolicies(config.accessPolicies());
                    config.hubs().forEach(hub -> hubClients.putIfAbsent(hub.hostName(), () -> newHubClient.apply(hub)));
                    hubServiceApi.useHubs(config.hubs());
                    hubBroker.useHubs(hostedHubs(config.hubs()));
                    upstreams.use(config.hubs()); // after the broker: a hub that joins has its telemetry bus
                    allocator.useDefaultPolicy(config.allocationPolicy());
                    allocator.useLocations(config.allocationLocations());
                    hubRegistry.describe(descriptors(config.hubs())); // Hazelcast: blocking
                    return changes;
                }, false));
    }

    static List<HostedHub> hostedHubs(List<HubConfig> hubs) {
        return hubs.stream().filter(HubConfig::hosted)
                .map(h -> new HostedHub(h.hostName(), SymmetricKeys.decode(h.ownerKey()))).toList();
    }

    static List<HubDescriptor> descriptors(List<HubConfig> hubs) {
        return hubs.stream().map(h -> new HubDescriptor(h.name(), h.hostName(), h.weight(), h.applyAllocationPolicy(),
                h.location())).toList();
    }
}
