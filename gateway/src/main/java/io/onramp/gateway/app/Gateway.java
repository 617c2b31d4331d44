package io.onramp.gateway.app;

import com.hazelcast.core.HazelcastInstance;
import io.onramp.broker.hub.HubBroker;
import io.onramp.gateway.amqp.AmqpRealms;
import io.onramp.gateway.upstream.UpstreamForwarding;
import io.onramp.broker.mqtt.MqttConnectHandler;
import io.onramp.certs.sas.SasTokenVerifier;
import io.onramp.certs.x509.ChainValidator;
import io.onramp.gateway.cacert.CaRevocationLists;
import io.onramp.gateway.cluster.ClusterMember;
import io.onramp.gateway.cluster.HazelcastHubRegistry;
import io.onramp.gateway.config.ConfigLoader;
import io.onramp.gateway.config.DemoKeys;
import io.onramp.gateway.config.GatewayConfig.HubConfig;
import io.onramp.gateway.config.GatewayConfig;
import io.onramp.gateway.config.IoReasons;
import io.onramp.gateway.http.DpsHttpEndpoint;
import io.onramp.gateway.http.HubRegistryHttpEndpoint;
import io.onramp.gateway.http.HubServiceAuthenticator;
import io.onramp.gateway.http.OpsEndpoint;
import io.onramp.gateway.http.Routes;
import io.onramp.gateway.hub.HubClient;
import io.onramp.gateway.hub.HubDirectory;
import io.onramp.gateway.hub.LinkedHubProbe;
import io.onramp.gateway.hub.LocalHubClient;
import io.onramp.gateway.hub.RemoteHubClient;
import io.onramp.gateway.mqtt.RealmDispatcher;
import io.onramp.gateway.ops.GatewayHealth;
import io.onramp.gateway.ops.GatewayMetrics;
import io.onramp.gateway.provisioning.DefaultProvisioningService;
import io.onramp.gateway.provisioning.DeviceAttestor;
import io.onramp.gateway.provisioning.EnrollmentCertificateCache;
import io.onramp.gateway.provisioning.EnrollmentGroupAuthorities;
import io.onramp.gateway.provisioning.GroupCaExpiry;
import io.onramp.gateway.provisioning.GroupTrustAnchors;
import io.onramp.gateway.provisioning.AllocationWebhook;
import io.onramp.gateway.provisioning.HubAllocator;
import io.onramp.gateway.provisioning.OperationRegistry;
import io.onramp.gateway.provisioning.SymmetricKeyAttestor;
import io.onramp.gateway.provisioning.TpmAttestor;
import io.onramp.gateway.provisioning.TpmChallenges;
import io.onramp.gateway.provisioning.X509Attestor;
import io.onramp.gateway.service.BackupEndpoint;
import io.onramp.gateway.service.CaCertificateEndpoint;
import io.onramp.gateway.service.EnrollmentHubs;
import io.onramp.gateway.service.ServiceApiEndpoint;
import io.onramp.gateway.service.ServiceAuthenticator;
import io.onramp.gateway.store.DataDirLock;
import io.onramp.gateway.store.DataDirectory;
import io.onramp.gateway.store.Database;
import io.onramp.gateway.store.JdbcCaCertificateStore;
import io.onramp.gateway.store.JdbcCloudMessageStore;
import io.onramp.gateway.store.JdbcDeviceRegistry;
import io.onramp.gateway.store.JdbcEnrollmentStore;
import io.onramp.gateway.store.JdbcRegistrationStore;
import io.onramp.gateway.store.UnconfiguredHubs;
import io.onramp.gateway.tls.CertificateExpiry;
import io.onramp.gateway.tls.ServerTls;
import io.onramp.gateway.transport.AcceptGate;
import io.onramp.gateway.transport.GatedTransports;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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
    /**
     * How far a SAS token's expiry may lie in the past and still be taken, for clocks that disagree; also how long past
     * its token a connection may stay. Five minutes, as edgeHub; the property shortens it for the tests of expiry.
     */
    private static Duration clockSkew() {
        return Duration.ofSeconds(Long.getLong("onramp.clockSkewSeconds", 300));
    }
    private static final Duration CRL_RELOAD = Duration.ofSeconds(30);
    private static final Duration CERTIFICATE_CHECK = Duration.ofDays(1);
    /** How long the clean-up of a failed start may take. */
    private static final long STOP_SECONDS = 30;

    private volatile GatewayConfig config;
    private final Vertx vertx;
    private final AcceptGate acceptGate;
    private final Clock clock = Clock.systemUTC();
    private LiveConfig live;
    private ServerTls tls;
    private CertificateExpiry certificates;
    private GroupCaExpiry groupCas;
    private Database database;
    private RunMarker runMarker;
    private DataDirLock dataDirLock;
    private HazelcastInstance hazelcast;
    private JdbcDeviceRegistry deviceRegistry;
    private HazelcastHubRegistry hubRegistry;
    private HubBroker hubBroker;
    private ServiceApiEndpoint serviceApi;
    private CaCertificateEndpoint caCertificatesApi;
    private OpsEndpoint ops;
    private JdbcCaCertificateStore caCertificates;
    private JdbcEnrollmentStore enrollments;
    private Future<Void> linkedHubsProbed = Future.succeededFuture();
    private Listeners listeners;
    private UpstreamForwarding upstreams;

    private Gateway(GatewayConfig config, Vertx vertx, AcceptGate acceptGate) {
        this.config = config;
        this.vertx = vertx;
        this.acceptGate = acceptGate;
    }

    public static Future<Gateway> start(GatewayConfig config) {
        AcceptGate acceptGate = new AcceptGate(config.connections().limits());
        Vertx vertx = Vertx.builder().withTransport(GatedTransports.transport(acceptGate)).build();
        Gateway gateway = new Gateway(config, vertx, acceptGate);
        // Answered off Vert.x's threads: a failed start closes Vert.x, whose event loops then run no listener,
        // and a start that failed on an event loop was never told (a port in use hung ./onramp start, silent).
        CompletableFuture<Gateway> started = new CompletableFuture<>();
        gateway.startAll().onComplete(outcome -> {
            if (outcome.succeeded()) {
                started.complete(gateway);
                return;
            }
            ForkJoinPool.commonPool().execute(() -> {
                try {
                    gateway.stop("the start failed").toCompletionStage().toCompletableFuture().get(STOP_SECONDS,
                            TimeUnit.SECONDS);
                } catch (Exception e) {
                    outcome.cause().addSuppressed(e);
                }
                started.completeExceptionally(outcome.cause());
            });
        });
        return Future.fromCompletionStage(started);
    }

    private Future<Void> startAll() {
        return vertx.executeBlocking(() -> {
                    createDataDir();
                    dataDirLock = DataDirLock.take(config.dataDir()); // before anything else touches dataDir
                    DemoKeys.warnings(config).forEach(LOG::warn);
                    runMarker = new RunMarker(config.dataDir());
                    boolean markerLeft = runMarker.leftByPreviousRun();
                    tls = ServerTls.prepare(config.tls(), hostNames(config.hubs()),
                            config.dataDir());
                    certificates = new CertificateExpiry(config.dataDir());
                    listeners = new Listeners(vertx, config.listen(), tls);
                    database = Database.openH2(vertx, config.dataDir());
                    DataDirectory.deleteUnfinishedBackups(config.dataDir());
                    warnIfPreviousRunDidNotStop(markerLeft, database.recoveredWrites());
                    runMarker.write();
                    upstreams = UpstreamForwarding.open(vertx, config.dataDir(), config.hubs());
                    hazelcast = ClusterMember.startStandalone();
                    return null;
                }, false)
                .compose(v -> startCore());
    }

    /** Said once the store is open (a start refused on a data directory in use finds the running one's marker). */
    private static void warnIfPreviousRunDidNotStop(boolean markerLeft, int recoveredWrites) {
        if (markerLeft || recoveredWrites > 0) {
            LOG.warn("the previous run did not stop cleanly (it was killed or crashed, or the machine went down): {}",
                    recoveredWrites == 0 ? "no write needed recovering"
                            : recoveredWrites + " writes were recovered from the journal");
        }
    }

    /** First, so that a data directory that cannot be made is named as such, not by what fails to be written in it. */
    private void createDataDir() {
        try {
            DataDirectory.prepare(config.dataDir());
        } catch (IOException e) {
            throw new StartException("dataDir: cannot create " + config.dataDir() + ": " + IoReasons.of(e)
                    + "; give a directory this user may write to", e);
        }
    }

    private Future<Void> startCore() {
        deviceRegistry = new JdbcDeviceRegistry(database, clock);
        caCertificates = new JdbcCaCertificateStore(database, clock, new CaRevocationLists(config.caCertificates(), clock));
        EnrollmentHubs enrollmentHubs = new EnrollmentHubs(config.hubs());
        JdbcEnrollmentStore enrollments = new JdbcEnrollmentStore(database, enrollment -> {
            enrollmentHubs.require(enrollment);
            caCertificates.requireUsableReferences(enrollment);
        });
        hubRegistry = new HazelcastHubRegistry(hazelcast);
        HubDirectory hubClients = new HubDirectory();
        Duration clockSkew = clockSkew();
        SasTokenVerifier verifier = new SasTokenVerifier(clock, clockSkew);
        // One validator (its cache of verified intermediates) and one parsed-certificate cache for DPS and hubs.
        ChainValidator chainValidator = ChainValidator.create();
        EnrollmentCertificateCache enrollmentCertificates = new EnrollmentCertificateCache();
        GroupTrustAnchors groupAnchors = new GroupTrustAnchors(enrollmentCertificates, caCertificates);
        groupCas = new GroupCaExpiry(enrollments::groups, groupAnchors);
        int maxFinished = OperationRegistry.defaultMaxFinished(Runtime.getRuntime().maxMemory());
        OperationRegistry operations = new OperationRegistry(clock, OperationRegistry.DEFAULT_RETENTION,
                OperationRegistry.DEFAULT_MAX_RUNNING, maxFinished);
        LOG.info("registration outcomes: kept in memory for polls {} min, at most {} (by the {} MiB heap),"
                + " then answered from the store",
                OperationRegistry.DEFAULT_RETENTION.toMinutes(), maxFinished, Runtime.getRuntime().maxMemory() >> 20);
        JdbcRegistrationStore registrations = new JdbcRegistrationStore(database);
        SymmetricKeyAttestor symmetricKeys = new SymmetricKeyAttestor(config.idScope(), enrollments, registrations,
                verifier);
        TpmChallenges tpmChallenges = new TpmChallenges(clock, config.tpm().challengeTimeout(),
                config.tpm().maxPendingChallenges());
        HubAllocator allocator = new HubAllocator(hubRegistry, config.allocationPolicy(), config.allocationLocations());
        DefaultProvisioningService provisioning = new DefaultProvisioningService(vertx, clock,
                new DeviceAttestor(symmetricKeys,
                        new X509Attestor(vertx, clock, config.idScope(), enrollments, chainValidator, enrollmentCertificates,
                                groupAnchors),
                        new TpmAttestor(vertx, config.idScope(), enrollments, registrations, tpmChallenges, symmetricKeys)),
                allocator, new AllocationWebhook(vertx, config.allocationWebhook()), hubClients,
                registrations, operations, hubRegistry, REGISTER_WAIT, config.refusedAttestations().throttle());
        // Expiry may walk a hundred thousand operations: a worker's job, not an event loop's. Every 10 s, so that
        // outcomes leave memory soon after their retention.
        vertx.setPeriodic(10_000, t -> vertx.executeBlocking(operations::expire, false));
        vertx.setPeriodic(30_000, t -> vertx.executeBlocking(tpmChallenges::expire, false));
        vertx.setPeriodic(1_000, t -> vertx.executeBlocking(() -> {
            hubRegistry.flushCounts();
            return null;
        }, false));
        hubBroker = new HubBroker(vertx, clock, LiveConfig.hostedHubs(config.hubs()), deviceRegistry, deviceRegistry,
                new JdbcCloudMessageStore(database), verifier, clockSkew, chainValidator,
                new EnrollmentGroupAuthorities(enrollments, registrations, groupAnchors, caCertificates));
        upstreams.start(hubBroker.telemetry());
        // Filled once the broker exists: a device deleted at a hosted hub (moved to another hub) is disconnected.
        LocalHubClient local = new LocalHubClient(deviceRegistry, hubBroker.messaging());
        Function<HubConfig, HubClient> newHubClient = hub -> hub.hosted() ? local
                : RemoteHubClient.connect(vertx, clock, hub.remote());
        for (HubConfig hub : config.hubs()) {
            hubClients.put(hub.hostName(), newHubClient.apply(hub));
        }
        MqttConnectHandler mqttRealms = new RealmDispatcher(vertx, config.idScope(), provisioning, hubBroker.realm());
        AmqpRealms amqpRealms = new AmqpRealms(provisioning, hubBroker.devices());
        DpsHttpEndpoint dps = new DpsHttpEndpoint(provisioning);
        HubServiceAuthenticator hubServiceAuthenticator = new HubServiceAuthenticator(config.hubs(), verifier);
        HubRegistryHttpEndpoint hubRegistryApi = new HubRegistryHttpEndpoint(hubServiceAuthenticator, deviceRegistry,
                hubBroker.messaging(), hubBroker.presence(), hubBroker.devices());
        ServiceAuthenticator serviceAuthenticator = new ServiceAuthenticator(config.accessPolicies(), verifier);
        serviceApi = new ServiceApiEndpoint(serviceAuthenticator, enrollments, registrations);
        caCertificatesApi = new CaCertificateEndpoint(serviceAuthenticator, caCertificates, enrollments);
        BackupEndpoint backupApi = new BackupEndpoint(serviceAuthenticator, database, config.dataDir());
        // CRL files are re-read when they change (a CA publishes before nextUpdate); file I/O on a worker.
        vertx.setPeriodic(CRL_RELOAD.toMillis(), t -> vertx.executeBlocking(() -> {
            caCertificates.reloadCrls();
            return null;
        }, false));
        this.enrollments = enrollments;
        ops = new OpsEndpoint(new GatewayHealth(database), new GatewayMetrics(clock.instant(), provisioning.counts(),
                () -> config.hubs(), hubRegistry, hubBroker.presence(), hubBroker.telemetry(), database, acceptGate,
                certificates::serverNotAfter, upstreams::upstreams));
        live = new LiveConfig(vertx, caCertificates, enrollments, serviceAuthenticator, hubServiceAuthenticator, hubBroker,
                allocator, hubRegistry, hubClients, newHubClient, upstreams);
        // CA certificates first: enrollment groups name them.
        return caCertificates.start(config.caCertificates())
                .compose(v -> enrollments.start(config.enrollmentGroups(), config.individualEnrollments()))
                .onSuccess(v -> caCertificates.warnAboutUnusableReferences(enrollments.groups()))
                .onSuccess(v -> UnconfiguredHubs.warnAtStart(database, hostNames(config.hubs())))
                .compose(v -> deviceRegistry.countByHub())
                .compose(counts -> vertx.executeBlocking(() -> {
                    hubRegistry.publish(LiveConfig.descriptors(config.hubs()), counts);
                    return null;
                }, false))
                .onSuccess(v -> LOG.info("connections: at most {} open ({}), {} from one client address (connections.perAddress)",
                        acceptGate.limits().max(), acceptGate.limits().describe(), acceptGate.limits().perAddress()))
                .compose(v -> listeners.startHttps(v2 -> Routes.create(v2, dps, hubRegistryApi, serviceApi,
                        caCertificatesApi, ops, backupApi), mqttRealms, amqpRealms))
                .compose(v -> listeners.startMqtt(mqttRealms))
                .compose(v -> listeners.startAmqp(amqpRealms))
                // Awaited (a few ms): once started, /metrics has the certificate's end, and no check of the start's
                // own is still under way when an operator's first change lands.
                .compose(v -> checkCertificates().recover(e -> Future.succeededFuture()))
                .onSuccess(v -> {
                    // Not awaited: a linked hub that is down is a warning, and the start goes on.
                    linkedHubsProbed = LinkedHubProbe.probe(vertx, clock, config.hubs());
                    vertx.setPeriodic(CERTIFICATE_CHECK.toMillis(), t -> checkCertificates());
                });
    }

    /**
     * Applies a changed config file: what can change while running does now, the rest is listed in the outcome as
     * waiting for the next start. Fails with a {@link io.onramp.gateway.config.ConfigException} when the file cannot
     * apply at all, and then nothing changed.
     */
    public Future<ConfigReload> reload(String source, GatewayConfig next) {
        ConfigDiff diff;
        try {
            diff = ConfigDiff.of(source, config, next);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        GatewayConfig before = config;
        return certifyHubs(diff.addedHubs(), diff.applied())
                .compose(v -> live.apply(diff.applied())).map(enrollmentChanges -> {
            config = diff.applied();
            return new ConfigReload(diff.changed(), enrollmentChanges, diff.needRestart());
        }).compose(reloaded -> vertx.executeBlocking(() -> {
            warnOfNewDemoKeys(before, diff.applied());
            return reloaded;
        }, false));
    }

    /**
     * Hubs that join get their names into the self-made server certificate before any device is sent to them: the
     * certificate is issued again (same CA, so devices trust it as before) and the listeners take it for new
     * connections. An operator's own certificate is theirs to extend.
     */
    private Future<Void> certifyHubs(List<HubConfig> added, GatewayConfig applied) {
        if (added.isEmpty() || !config.tls().selfMade()) {
            return Future.succeededFuture();
        }
        return vertx.executeBlocking(() -> ServerTls.prepare(config.tls(),
                        hostNames(applied.hubs()), config.dataDir()), false)
                .compose(v -> reloadTls());
    }

    /** A reload that brings a public demo key in says so, as a start does; one already warned of is not repeated. */
    private static void warnOfNewDemoKeys(GatewayConfig before, GatewayConfig after) {
        List<String> known = DemoKeys.warnings(before);
        DemoKeys.warnings(after).stream().filter(line -> !known.contains(line)).forEach(LOG::warn);
    }

    /**
     * Applies {@code file}, which this gateway was started from, and the certificate files it names whenever they
     * change on disk, until the gateway stops. Blocking (it takes the files' state as of now): call off the event loop.
     */
    public ConfigWatcher watchConfigFile(Path file, ConfigLoader loader) {
        ConfigWatcher watcher = new ConfigWatcher(vertx, this, file, loader);
        vertx.setPeriodic(ConfigWatcher.INTERVAL.toMillis(), t -> watcher.poll());
        return watcher;
    }

    /**
     * Checks the certificates now, as every day: the listeners' ({@link CertificateExpiry}: a self-made server
     * certificate due within 30 days is issued again and the listeners take it; an operator's own due is warned of),
     * and the CA certificates X.509 groups trust ({@link GroupCaExpiry}).
     */
    public Future<Void> checkCertificates() {
        return vertx.executeBlocking(() -> {
                    groupCas.check(clock.instant());
                    return certificates.check(config.tls(), hostNames(config.hubs()), clock);
                }, false)
                .compose(issued -> issued ? reloadTls() : Future.succeededFuture())
                .onFailure(e -> LOG.warn("TLS: checking the server certificate's end failed: {}", e.toString()));
    }

    private static List<String> hostNames(List<HubConfig> hubs) {
        return hubs.stream().map(HubConfig::hostName).toList();
    }

    /** Re-reads the server certificate and key files for every TLS listener (rotated on disk); open connections keep theirs. */
    public Future<Void> reloadTls() {
        return listeners == null ? Future.succeededFuture() : listeners.reloadTls();
    }

    public Future<Void> stop() {
        return stop("asked to");
    }

    /**
     * Completes, with what went wrong in words, once the store can take no write until the process starts again (H2 closed it
     * after a failed write, a full disk say): {@code onramp start} then stops and exits rather than serve on half dead.
     */
    public Future<String> storeBroken() {
        return database.broken().map(failure -> database.problem());
    }

    /** Stops, saying so in the log with {@code reason} (e.g. "signal"): a log that ends without "stopped" was cut short. */
    public Future<Void> stop(String reason) {
        LOG.info("stopping ({})", reason);
        Future<Void> listening = listeners == null ? Future.succeededFuture() : listeners.stop();
        return listening.transform(ignored -> vertx.executeBlocking(() -> {
                    if (upstreams != null) {
                        upstreams.close(); // no device is left to add to the outboxes
                    }
                    if (database != null) {
                        database.close();
                        LOG.info("store closed");
                    }
                    if (runMarker != null) {
                        runMarker.remove(); // only once the store closed: else the next start says it did not
                    }
                    if (dataDirLock != null) {
                        dataDirLock.close(); // the store closed: the directory is another gateway's to take from here on
                    }
                    if (hazelcast != null) {
                        hazelcast.shutdown();
                    }
                    return null;
                }, false))
                .transform(ignored -> vertx.close())
                .onSuccess(v -> LOG.info("stopped"));
    }

    public GatewayConfig config() {
        return config;
    }

    /** Completes once every linked hub has been asked at start whether it answers (a failure is logged, not failed). */
    public Future<Void> linkedHubsProbed() {
        return linkedHubsProbed;
    }

    public int httpsPort() {
        return listeners == null ? -1 : listeners.httpsPort();
    }

    public int mqttsPort() {
        return listeners == null ? -1 : listeners.mqttsPort();
    }

    public int mqttPort() {
        return listeners == null ? -1 : listeners.mqttPort();
    }

    /** The AMQP over TLS port, or -1 when {@code listen.amqps} is off. */
    public int amqpsPort() {
        return listeners == null ? -1 : listeners.amqpsPort();
    }

    public HubBroker hubBroker() {
        return hubBroker;
    }

    public ServerTls tls() {
        return tls;
    }

    public JdbcDeviceRegistry deviceRegistry() {
        return deviceRegistry;
    }

    public JdbcEnrollmentStore enrollments() {
        return enrollments;
    }

    public JdbcCaCertificateStore caCertificates() {
        return caCertificates;
    }

    public HazelcastHubRegistry hubRegistry() {
        return hubRegistry;
    }
}
