package io.onramp.gateway.provisioning;

import io.onramp.broker.registry.AuthType;
import io.onramp.broker.registry.DeviceIdentity;
import io.onramp.broker.registry.DeviceProvisioning;
import io.onramp.broker.registry.TwinMode;
import io.onramp.gateway.error.ErrorCode;
import io.onramp.gateway.error.ProvisioningException;
import io.onramp.gateway.hub.DeviceData;
import io.onramp.gateway.hub.HubDirectory;
import io.onramp.gateway.store.Etags;
import io.onramp.policy.enrollment.Enrollment;
import io.onramp.policy.enrollment.IndividualEnrollment;
import io.onramp.policy.enrollment.InitialTwin;
import io.onramp.policy.enrollment.RegistrationIds;
import io.onramp.policy.registry.HubDescriptor;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provisioning flow: attest, find the enrollment, allocate a hub, register the identity at the
 * hub, record the registration state, answer. Each step is durable before the next one starts: the
 * registration is recorded "assigned" only once the hub has the identity, and before any device is told.
 */
public final class DefaultProvisioningService implements ProvisioningService {

    private static final Logger LOG = LoggerFactory.getLogger(DefaultProvisioningService.class);
    private static final Logger AUDIT = LoggerFactory.getLogger("audit.registration");

    private final Vertx vertx;
    private final Clock clock;
    private final DeviceAttestor attestor;
    private final HubAllocator allocator;
    private final CustomAllocator customAllocator;
    private final HubDirectory hubClients;
    private final RegistrationStore registrations;
    private final OperationRegistry operations;
    private final AssignmentListener assignments;
    private final Duration registerWait;
    private final DeviceMove moves;
    private final KeyedSerializer perDevice = new KeyedSerializer();
    private final RegistrationCounts counts = new RegistrationCounts();
    private final RefusalThrottle refusals;

    /** Told of every new device identity at a hub (for the hub registry's live counts). */
    @FunctionalInterface
    public interface AssignmentListener {
        void deviceCreated(String hubHostName);
    }

    public DefaultProvisioningService(Vertx vertx, Clock clock, DeviceAttestor attestor, HubAllocator allocator,
            AllocationWebhook webhook, HubDirectory hubClients, RegistrationStore registrations,
            OperationRegistry operations, AssignmentListener assignments, Duration registerWait, RefusalThrottle refusals) {
        this.vertx = vertx;
        this.clock = clock;
        this.attestor = attestor;
        this.allocator = allocator;
        this.customAllocator = new CustomAllocator(webhook, counts);
        this.hubClients = hubClients;
        this.moves = new DeviceMove(hubClients);
        this.registrations = registrations;
        this.operations = operations;
        this.assignments = assignments;
        this.registerWait = registerWait;
        this.refusals = refusals;
    }

    @Override
    public Future<OperationStatus> register(RegistrationRequest request) {
        try {
            checkIds(request.registrationId(), request.bodyRegistrationId());
        } catch (ProvisioningException e) {
            counts.refused(e);
            return Future.failedFuture(e);
        }
        return attest(request.clientAddress(), request.idScope(), request.registrationId(), request.credential())
                .compose(device -> start(device, request))
                .onFailure(counts::refused);
    }

    /** What registrations came to since the start. */
    public RegistrationCounts counts() {
        return counts;
    }

    private Future<OperationStatus> start(AttestedDevice device, RegistrationRequest request) {
        // Reserve the operation first: a refused registration (429) must not do any work.
        OperationRegistry.Operation operation = operations.start(device.registrationId(), device.proof());
        String payload = Payloads.normalize(request.payload());
        Attempt attempt = new Attempt(device, payload, operation.id(), request.clientAddress());
        Future<RegistrationRecord> result = perDevice.run(RegistrationIds.key(device.registrationId()),
                () -> assign(attempt));
        result.onComplete(done -> operations.finish(operation, done.result(), done.cause()));
        // Always 202 assigning (C# insists); waiting briefly lets the first poll find the final state.
        Promise<Void> answered = Promise.promise();
        long timer = vertx.setTimer(registerWait.toMillis(), t -> answered.tryComplete());
        result.onComplete(done -> {
            vertx.cancelTimer(timer);
            answered.tryComplete();
        });
        return answered.future().map(v -> new OperationStatus(operation.id(), RegistrationStatus.ASSIGNING, null));
    }

    /**
     * One registration request of an attested device: the payload its answer carries (its own, or a custom
     * allocation's), the operation that answers it, and the address it came from (null when not known).
     */
    private record Attempt(AttestedDevice device, String payload, String operationId, String clientAddress) {
        Attempt withPayload(String answered) {
            return new Attempt(device, answered, operationId, clientAddress);
        }
    }

    private Future<RegistrationRecord> assign(Attempt attempt) {
        AttestedDevice device = attempt.device();
        return registrations.find(device.registrationId()).compose(previous -> {
            Enrollment enrollment = device.enrollment();
            if (!enrollment.enabled()) {
                return save(newRecord(attempt, previous, null, null, RegistrationStatus.DISABLED, null,
                        ErrorCode.UNAUTHORIZED.code(), "The enrollment is disabled."));
            }
            if (HubAllocator.isCustom(enrollment)) {
                return placeByWebhook(attempt, previous);
            }
            HubDescriptor hub;
            try {
                hub = allocator.allocate(device.registrationId(), enrollment, previous, attempt.clientAddress());
            } catch (ProvisioningException e) {
                return allocationFailed(attempt, previous, e);
            }
            return place(attempt, previous, hub, enrollment.initialTwin());
        });
    }

    /**
     * Custom allocation: the enrollment's webhook chooses the hub, may give the twin to start with, and gives the
     * payload the device gets back (in place of its own, spec 9.3: none when the webhook gives none).
     */
    private Future<RegistrationRecord> placeByWebhook(Attempt attempt, Optional<RegistrationRecord> previous) {
        AttestedDevice device = attempt.device();
        Attempt unanswered = attempt.withPayload(null);
        List<HubDescriptor> offered;
        try {
            offered = allocator.offeredToWebhook(device.registrationId(), device.enrollment(), previous);
        } catch (ProvisioningException e) {
            return allocationFailed(unanswered, previous, e);
        }
        return customAllocator.place(device, previous, offered, attempt.payload()).transform(placed -> placed.succeeded()
                ? place(attempt.withPayload(placed.result().payload()), previous, placed.result().hub(),
                        placed.result().initialTwin())
                : placed.cause() instanceof ProvisioningException refused ? allocationFailed(unanswered, previous, refused)
                : Future.failedFuture(placed.cause()));
    }

    private Future<RegistrationRecord> allocationFailed(Attempt attempt, Optional<RegistrationRecord> previous,
            ProvisioningException e) {
        return save(newRecord(attempt, previous, null, null, RegistrationStatus.FAILED, null, e.errorCode(),
                e.publicMessage()));
    }

    /** The device goes to {@code hub}, starting there with {@code initialTwin} unless its data moves or stays. */
    private Future<RegistrationRecord> place(Attempt attempt, Optional<RegistrationRecord> previous, HubDescriptor hub,
            InitialTwin initialTwin) {
        AttestedDevice device = attempt.device();
        Enrollment enrollment = device.enrollment();
        String oldHub = previous.map(RegistrationRecord::assignedHub).orElse(null);
        boolean migrate = enrollment.reprovisionPolicy().migrateDeviceData();
        DeviceData initial = new DeviceData(initialTwin.tags(), initialTwin.desiredProperties(), enrollment.iotEdge());
        if (oldHub == null || hub.hostName().equalsIgnoreCase(oldHub)) {
            // First assignment, or the same hub: migrate keeps the twin there, reset replaces it.
            boolean reset = oldHub != null && !migrate;
            return register(attempt, previous, hub, initial, reset ? TwinMode.RESET : TwinMode.KEEP,
                    reset ? RegistrationRecord.DEVICE_DATA_RESET : RegistrationRecord.INITIAL_ASSIGNMENT, null);
        }
        // Another hub (spec 13.2): its twin from the old hub's data or the enrollment's, then the old one deleted.
        String oldDevice = previous.get().deviceId();
        Future<Optional<DeviceData>> data = migrate ? moves.readData(device.registrationId(), oldHub, oldDevice)
                : Future.succeededFuture(Optional.empty());
        // Nothing read while migrating: a twin the new hub already has (say, of a move cut short after the old
        // identity was deleted) is kept rather than reset to the enrollment's.
        return data.compose(migrated -> register(attempt, previous, hub, migrated.orElse(initial),
                migrated.isPresent() || !migrate ? TwinMode.RESET : TwinMode.KEEP,
                migrated.isPresent() ? RegistrationRecord.DEVICE_DATA_MIGRATED : RegistrationRecord.DEVICE_DATA_RESET,
                () -> moves.removeOld(device.registrationId(), oldHub, oldDevice)));
    }

    /**
     * The identity first, then {@code afterCreated} (the old hub's clean-up, null when the device does not move),
     * then the record, then the answer: a record says "assigned" only once the hub has the device. If the record
     * does not make it, the next attempt refreshes the identity in place.
     */
    private Future<RegistrationRecord> register(Attempt attempt, Optional<RegistrationRecord> previous,
            HubDescriptor hub, DeviceData data, TwinMode twinMode, String substatus, Supplier<Future<Void>> afterCreated) {
        String deviceId = deviceId(attempt.device(), previous);
        RegistrationRecord assigned = newRecord(attempt, previous, hub.hostName(), deviceId,
                RegistrationStatus.ASSIGNED, substatus, null, null);
        DeviceProvisioning request = identityRequest(attempt.device(), deviceId, hub, data, twinMode);
        if (afterCreated == null && hubClients.sharesRegistrationStore(hub.hostName())) {
            return registerInOneGroup(attempt, previous, hub, request, assigned);
        }
        return hubClients.call(hub.hostName(), client -> client.provision(request)).transform(identity -> identity.failed()
                ? hubFailed(attempt, previous, HubFailure.of(hub.hostName(), request.deviceId(), identity.cause()),
                        identity.cause())
                : (afterCreated == null ? save(assigned) : afterCreated.get().compose(v -> save(assigned)))
                        .onSuccess(saved -> counted(hub, identity.result())));
    }

    /**
     * A hub hosted here keeps its identities in the store the record goes to, written by its one writer in the order
     * given: the identity and the record are handed over together and usually share one commit, where one after
     * the other would wait for two (the provisioning bench's latency and rate hang on it). The device hears of
     * neither until both are on disk. Should the identity fail (the store failing), the "failed" record written
     * after the "assigned" one replaces it before the device is told anything.
     */
    private Future<RegistrationRecord> registerInOneGroup(Attempt attempt, Optional<RegistrationRecord> previous,
            HubDescriptor hub, DeviceProvisioning request, RegistrationRecord assigned) {
        Future<DeviceIdentity> identity = hubClients.call(hub.hostName(), client -> client.provision(request));
        Future<RegistrationRecord> record = registrations.save(assigned);
        return Future.join(identity, record).transform(both -> {
            if (identity.failed()) {
                return hubFailed(attempt, previous, HubFailure.of(hub.hostName(), request.deviceId(), identity.cause()),
                        identity.cause());
            }
            if (record.failed()) {
                return Future.failedFuture(record.cause());
            }
            audit(assigned, null);
            counted(hub, identity.result());
            return Future.succeededFuture(assigned);
        });
    }

    private void counted(HubDescriptor hub, DeviceIdentity identity) {
        if (identity.createdTime().equals(identity.updatedTime())) {
            assignments.deviceCreated(hub.hostName());
        }
    }

    /**
     * The hub did not create the identity: the registration ends "failed" with an error the device can act on
     * (register again), keeping the hub and device of its last assignment, never "assigned".
     */
    private Future<RegistrationRecord> hubFailed(Attempt attempt, Optional<RegistrationRecord> previous,
            HubFailure failure, Throwable cause) {
        String registrationId = attempt.device().registrationId();
        // One line per failure: a hub that is down fails every registration, and a trace each would flood the log.
        LOG.warn("registration {} failed: hub {} did not create device {}: {}", registrationId,
                failure.hubHostName(), failure.deviceId(), failure.reason());
        LOG.debug("hub failure of registration {}", registrationId, cause);
        return save(newRecord(attempt, previous, null, null, RegistrationStatus.FAILED, null, failure.errorCode().code(),
                failure.publicMessage()), failure);
    }

    private static DeviceProvisioning identityRequest(AttestedDevice device, String deviceId, HubDescriptor hub,
            DeviceData data, TwinMode twinMode) {
        // The hub keeps who the identity is for, and re-keys it for that registration only, whatever its case.
        String owner = RegistrationIds.key(device.registrationId());
        AttestedDevice.X509Identity x509 = device.x509();
        if (x509 != null) {
            // Spec 6.5: thumbprints when the enrollment names the device's own certificate, else a CA chain.
            AuthType type = x509.certificateAuthority() ? AuthType.CERTIFICATE_AUTHORITY : AuthType.SELF_SIGNED;
            return new DeviceProvisioning(hub.hostName(), deviceId, type, null, null, x509.primaryThumbprint(),
                    x509.secondaryThumbprint(), data.iotEdge(), data.tags(), data.desired(), twinMode, owner);
        }
        String secondary = device.deviceKeys().size() > 1 ? device.deviceKeys().get(1) : null;
        return new DeviceProvisioning(hub.hostName(), deviceId, AuthType.SAS, device.deviceKeys().get(0),
                secondary, null, null, data.iotEdge(), data.tags(), data.desired(), twinMode, owner);
    }

    /**
     * The enrollment's deviceId, else the registration ID as the registration's record has it: registration IDs are
     * case-insensitive but device IDs are not, and a device registering again as {@code SENSOR-0042} must keep its
     * identity {@code sensor-0042}, not get a second live one that deprovisioning would miss.
     */
    private static String deviceId(AttestedDevice device, Optional<RegistrationRecord> previous) {
        String wanted = device.enrollment() instanceof IndividualEnrollment individual
                ? individual.effectiveDeviceId() : device.registrationId();
        if (!wanted.equals(device.registrationId())) {
            return wanted;
        }
        return previous.map(RegistrationRecord::deviceId).filter(wanted::equalsIgnoreCase).orElse(wanted);
    }

    /**
     * The registration state to record. A failed or disabled attempt keeps the hub and device of the
     * last assignment (for deprovisioning), without telling the device.
     */
    private RegistrationRecord newRecord(Attempt attempt, Optional<RegistrationRecord> previous, String hub,
            String deviceId, RegistrationStatus status, String substatus, Integer errorCode, String errorMessage) {
        AttestedDevice device = attempt.device();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Instant created = previous.map(RegistrationRecord::createdDateTimeUtc).orElse(now);
        String keptHub = hub != null ? hub : previous.map(RegistrationRecord::assignedHub).orElse(null);
        String keptDevice = deviceId != null ? deviceId : previous.map(RegistrationRecord::deviceId).orElse(null);
        return new RegistrationRecord(device.registrationId(), device.enrollmentRef(), keptDevice, keptHub, status,
                substatus, errorCode, errorMessage, attempt.payload(), Etags.next(), created, now, device.x509(),
                tpm(device), attempt.operationId());
    }

    /** A TPM device's identity key goes with its record; its blob only with an assigned answer. */
    private static RegistrationRecord.Tpm tpm(AttestedDevice device) {
        return device.tpm() == null ? null : new RegistrationRecord.Tpm(device.deviceKeys().get(0),
                device.tpm().endorsementKeyName(), device.tpm().authenticationKey());
    }

    private Future<RegistrationRecord> save(RegistrationRecord record) {
        return save(record, null);
    }

    /** Saves and audits; a hub failure's line names the hub that failed and why, not the one last assigned. */
    private Future<RegistrationRecord> save(RegistrationRecord record, HubFailure hubFailure) {
        return registrations.save(record).onSuccess(saved -> audit(saved, hubFailure));
    }

    /** Every registration that ends is audited here, once it is durable, and counted for the metrics. */
    private void audit(RegistrationRecord saved, HubFailure hubFailure) {
        counts.ended(saved.status());
        AUDIT.info("{} {} hub={} device={} via {} {}{}", saved.status().wireName(), saved.registrationId(),
                hubFailure == null ? saved.assignedHub() : hubFailure.hubHostName(),
                hubFailure == null ? saved.deviceId() : hubFailure.deviceId(),
                saved.enrollment().kind(), saved.enrollment().id(),
                hubFailure != null ? ": hub failed: " + hubFailure.reason()
                        : saved.errorMessage() == null ? "" : ": " + saved.errorMessage());
    }

    @Override
    public Future<OperationStatus> operationStatus(StatusRequest request) {
        OperationRegistry.Operation operation = operations.find(request.operationId());
        if (operation == null || !operation.registrationId().equalsIgnoreCase(request.registrationId())) {
            return operationStatusFromRecord(request);
        }
        try {
            attestor.verifyAgain(request.idScope(), request.registrationId(), request.credential(), operation.deviceKeys());
        } catch (ProvisioningException e) {
            return Future.failedFuture(e);
        }
        if (!operation.finished()) {
            return Future.succeededFuture(new OperationStatus(operation.id(), RegistrationStatus.ASSIGNING, null));
        }
        if (operation.failure() != null) {
            return Future.failedFuture(operation.failure());
        }
        return Future.succeededFuture(new OperationStatus(operation.id(), operation.outcome().status(),
                operation.outcome()));
    }

    /**
     * An operation no longer in memory (the gateway restarted, or a burst evicted it) is answered from the record it
     * wrote, as long as the record still names it: the spec keeps operations pollable for at least ten minutes.
     * The device authenticates first, so that an unauthenticated caller learns nothing about operations. A TPM
     * device's answer needs the key blob, which is not stored: it registers again instead.
     */
    private Future<OperationStatus> operationStatusFromRecord(StatusRequest request) {
        String operationId = request.operationId();
        return attest(request.clientAddress(), request.idScope(), request.registrationId(), request.credential())
                .compose(device -> registrations.find(device.registrationId()).compose(found -> {
                    RegistrationRecord stored = found.orElse(null);
                    if (stored == null || operationId == null || !operationId.equals(stored.operationId())) {
                        return notFound("unknown operation " + operationId);
                    }
                    if (stored.tpm() != null) {
                        return notFound("operation " + operationId + " of a TPM device: its key blob is not kept");
                    }
                    RegistrationRecord answered = stored.answeredTo(device);
                    return Future.succeededFuture(new OperationStatus(operationId, answered.status(), answered));
                }));
    }

    private static Future<OperationStatus> notFound(String why) {
        return Future.failedFuture(new ProvisioningException(ErrorCode.OPERATION_NOT_FOUND, "Operation not found.", why));
    }

    @Override
    public Future<Void> authenticate(String clientAddress, String idScope, String registrationId,
            DeviceCredential credential) {
        try {
            checkIds(registrationId, null);
        } catch (ProvisioningException e) {
            counts.refused(e);
            return Future.failedFuture(e);
        }
        // A refused login is a refused registration (the connection is for nothing else); a TPM challenge counts as one.
        return attest(clientAddress, idScope, registrationId, credential).onFailure(counts::refused).mapEmpty();
    }

    @Override
    public Future<RegistrationRecord> registrationState(StatusRequest request) {
        try {
            checkIds(request.registrationId(), null);
        } catch (ProvisioningException e) {
            counts.refused(e);
            return Future.failedFuture(e);
        }
        // Refused like a register (a wrong key probing for devices is the same signal); "not found" after is not.
        return attest(request.clientAddress(), request.idScope(), request.registrationId(), request.credential())
                .onFailure(counts::refused)
                .compose(device -> registrations.find(device.registrationId()).map(r -> r.map(s -> s.answeredTo(device))))
                .compose(record -> record.map(Future::succeededFuture).orElseGet(() -> Future.failedFuture(
                        new ProvisioningException(ErrorCode.REGISTRATION_NOT_FOUND, "Registration not found."))));
    }

    /**
     * Attests the device unless its address has spent its budget of refusals ({@link RefusalThrottle}); a refusal
     * is counted against it. A TPM challenge is a refusal only in form (every TPM registration starts with one).
     */
    private Future<AttestedDevice> attest(String clientAddress, String idScope, String registrationId,
            DeviceCredential credential) {
        if (!refusals.admits(clientAddress)) {
            counts.throttled();
            return Future.failedFuture(ProvisioningException.addressThrottled("refusal budget of " + clientAddress
                    + " spent, " + registrationId + " not checked"));
        }
        return attestor.attest(idScope, registrationId, credential).onFailure(failure -> {
            if (failure instanceof ProvisioningException refused && (refused.status() == 401 || refused.status() == 404)
                    && refused.tpmAuthenticationKey() == null) {
                refusals.refused(clientAddress);
            }
        });
    }

    private static void checkIds(String registrationId, String bodyRegistrationId) {
        if (registrationId == null || !RegistrationIds.isValid(registrationId)) {
            throw ProvisioningException.badRequest("The registration ID is not valid: " + RegistrationIds.RULE + ".");
        }
        if (bodyRegistrationId != null && !bodyRegistrationId.equalsIgnoreCase(registrationId)) {
            throw ProvisioningException.badRequest("The registration ID in the body differs from the one in the request.");
        }
    }
}
