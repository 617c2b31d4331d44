package io.onramp.gateway.app;

import com.hazelcast.core.HazelcastInstance;
import io.onramp.certs.sas.SasTokenVerifier;
import io.onramp.gateway.cluster.ClusterMember;
import io.onramp.gateway.cluster.HazelcastHubRegistry;
import io.onramp.gateway.config.GatewayConfig;
import io.onramp.gateway.config.GatewayConfig.HubConfig;
import io.onramp.gateway.http.DpsHttpEndpoint;
import io.onramp.gateway.http.HttpsListener;
import io.onramp.gateway.http.HubRegistryHttpEndpoint;
import io.onramp.gateway.http.HubServiceAuthenticator;
import io.onramp.gateway.http.Routes;
import io.onramp.gateway.hub.HubDirectory;
import io.onramp.gateway.hub.LocalHubClient;
import io.onramp.gateway.hub.RemoteHubClient;
import io.onramp.gateway.provisioning.DefaultProvisioningService;
import io.onramp.gateway.provisioning.HubAllocator;
import io.onramp.gateway.provisioning.OperationRegistry;
import io.onramp.gateway.provisioning.ProvisioningService;
import io.onramp.gateway.provisioning.SymmetricKeyAttestor;
import io.onramp.gateway.store.Database;
import io.onramp.gateway.store.JdbcDeviceRegistry;
import io.onramp.gateway.store.JdbcEnrollmentStore;
import io.onramp.gateway.store.JdbcRegistrationStore;
import io.onramp.gateway.tls.ServerTls;
import io.onramp.policy.registry.HubDescriptor;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running gateway: opens the store, starts the cluster member, builds the provisioning core
 * and starts the listeners, in that order; {@link #stop()} undoes it in reverse.
 */
public final class Gateway {

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    /** How long register waits for the outcome before answering 202, so the first poll usually ends it. */
    static final Duration REGISTER_WAIT = Duration.ofSeconds(1);
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private final GatewayConfig config;
    private final Vertx vertx;
    private final Clock clock = Clock.systemUTC();
    private final List<String> deployments = new ArrayList<>();
    private ServerTls tls;
    private Database database;
    private HazelcastInstance hazelcast;
    private JdbcDeviceRegistry deviceRegistry;
    private HazelcastHubRegistry hubRegistry;
    private int httpsPort = -1;

    private Gateway(GatewayConfig config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
    }

    public static Future<Gateway> start(GatewayConfig config) {
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        Gateway gateway = new Gateway(config, vertx);
        return gateway.startAll().map(gateway).recover(failure -> gateway.stop().transform(v -> Future.failedFuture(failure)));
    }

    private Future<Void> startAll() {
        return vertx.executeBlocking(() -> {
                    tls = ServerTls.prepare(config.tls(), config.hubs().stream().map(HubConfig::hostName).toList(),
                            config.dataDir());
                    database = Database.openH2(vertx, config.dataDir());
                    hazelcast = ClusterMember.startStandalone();
                    return null;
                }, false)
                .compose(v -> startCore());
    }

    private Future<Void> startCore() {
        deviceRegistry = new JdbcDeviceRegistry(database, clock);
        JdbcEnrollmentStore enrollments = new JdbcEnrollmentStore(database);
        hubRegistry = new HazelcastHubRegistry(hazelcast);
        HubDirectory hubClients = new HubDirectory();
        LocalHubClient local = new LocalHubClient(deviceRegistry);
        List<HubDescriptor> hubs = new ArrayList<>();
        for (HubConfig hub : config.hubs()) {
            hubs.add(new HubDescriptor(hub.name(), hub.hostName(), hub.weight(), hub.applyAllocationPolicy()));
            hubClients.put(hub.hostName(), hub.hosted() ? local : RemoteHubClient.connect(vertx, clock, hub.remote()));
        }
        SasTokenVerifier verifier = new SasTokenVerifier(clock, CLOCK_SKEW);
        OperationRegistry operations = new OperationRegistry(clock, OperationRegistry.DEFAULT_RETENTION,
                OperationRegistry.DEFAULT_MAX_RUNNING, OperationRegistry.DEFAULT_MAX_FINISHED);
        ProvisioningService provisioning = new DefaultProvisioningService(vertx, clock,
                new SymmetricKeyAttestor(config.idScope(), enrollments, verifier),
                new HubAllocator(hubRegistry, config.allocationPolicy()), hubClients,
                new JdbcRegistrationStore(database), operations, hubRegistry, REGISTER_WAIT);
        // Expiry walks up to a million operations: a worker's job, not an event loop's.
        vertx.setPeriodic(60_000, t -> vertx.executeBlocking(operations::expire, false));
        vertx.setPeriodic(1_000, t -> vertx.executeBlocking(() -> {
            hubRegistry.flushCounts();
            return null;
        }, false));
        DpsHttpEndpoint dps = new DpsHttpEndpoint(provisioning);
        HubRegistryHttpEndpoint hubRegistryApi = new HubRegistryHttpEndpoint(
                new HubServiceAuthenticator(config.hubs(), verifier), deviceRegistry);
        return enrollments.start(config.enrollmentGroups(), config.individualEnrollments())
                .compose(v -> deviceRegistry.countByHub())
                .compose(counts -> vertx.executeBlocking(() -> {
                    hubRegistry.publish(hubs, counts);
                    return null;
                }, false))
                .compose(v -> startHttps(dps, hubRegistryApi));
    }

    private Future<Void> startHttps(DpsHttpEndpoint dps, HubRegistryHttpEndpoint hubRegistryApi) {
        if (config.listen().https() < 0) {
            return Future.succeededFuture();
        }
        int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
        var options = tls.httpServerOptions(config.listen().address(), config.listen().https());
        // With port 0 (tests) Vert.x picks one free port and the instances share it.
        List<HttpsListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
        return vertx.deployVerticle(() -> {
                    HttpsListener listener = new HttpsListener(options, v -> Routes.create(v, dps, hubRegistryApi));
                    listeners.add(listener);
                    return listener;
                }, new DeploymentOptions().setInstances(instances))
                .map(id -> {
                    deployments.add(id);
                    httpsPort = listeners.get(0).actualPort();
                    LOG.info("HTTPS listening on {}:{} ({} event loops, TLS engine {})", config.listen().address(), httpsPort,
                            instances, ServerTls.engineName());
                    return null;
                });
    }

    public Future<Void> stop() {
        List<Future<Void>> undeployed = deployments.stream().map(vertx::undeploy).toList();
        return Future.join(undeployed).transform(ignored -> vertx.executeBlocking(() -> {
                    if (database != null) {
                        database.close();
                    }
                    if (hazelcast != null) {
                        hazelcast.shutdown();
                    }
                    return null;
                }, false))
                .transform(ignored -> vertx.close());
    }

    public GatewayConfig config() {
        return config;
    }

    public int httpsPort() {
        return httpsPort;
    }

    public ServerTls tls() {
        return tls;
    }

    public JdbcDeviceRegistry deviceRegistry() {
        return deviceRegistry;
    }

    public HazelcastHubRegistry hubRegistry() {
        return hubRegistry;
    }
}
