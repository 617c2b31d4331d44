package io.onramp.bench.enrollments;

import io.onramp.bench.Directories;
import io.onramp.bench.MachineInfo;
import io.onramp.certs.sas.SasTokenSigner;
import io.onramp.certs.sas.SasTokenVerifier;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.provisioning.DeviceCredential;
import io.onramp.gateway.provisioning.EnrollmentRef;
import io.onramp.gateway.provisioning.RegistrationRecord;
import io.onramp.gateway.provisioning.RegistrationStatus;
import io.onramp.gateway.provisioning.SymmetricKeyAttestor;
import io.onramp.gateway.store.Database;
import io.onramp.gateway.store.JdbcEnrollmentStore;
import io.onramp.gateway.store.JdbcRegistrationStore;
import io.onramp.policy.allocation.AllocationPolicyKind;
import io.onramp.policy.enrollment.EnrollmentGroup;
import io.onramp.policy.enrollment.EnrollmentSource;
import io.onramp.policy.enrollment.ProvisioningStatus;
import io.onramp.policy.enrollment.SymmetricKeyAttestation;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * What finding a device's symmetric-key group costs with many groups: the gateway's attestor against the real
 * enrollment store, on one thread, no HTTP. Four orders of devices: batches of one group (as devices of a
 * production batch boot), every device of another group than the last, tokens no group signed (an attacker's, or a
 * device nobody enrolled), which try every group, and the mixed devices again, each with the record of its
 * registration (as after a power cut). Prints microseconds per attestation, a store read's wait included.
 * <pre>java -cp ... io.onramp.bench.enrollments.GroupMatchCost [groups 1,10,100] [attestations 20000]</pre>
 */
public final class GroupMatchCost {

    private static final String SCOPE = "0ne00000001";
    private static final int ROUNDS = 5;
    /** The process's CPU, the store's reader threads included: a read's wait is not its cost. */
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private GroupMatchCost() {}

    public static void main(String[] args) throws Exception {
        List<Integer> groupCounts = new ArrayList<>();
        for (String n : (args.length > 0 ? args[0] : "1,10,100").split(",")) {
            groupCounts.add(Integer.parseInt(n.trim()));
        }
        int attestations = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        MachineInfo.describe().forEach(System.out::println);
        run(groupCounts, attestations, System.out);
    }

    /** Measures each group count in turn, printing a line per order of devices. */
    public static void run(List<Integer> groupCounts, int attestations, PrintStream out) throws Exception {
        for (int groups : groupCounts) {
            run(groups, attestations, out);
        }
    }

    private static void run(int groupCount, int attestations, PrintStream out) throws Exception {
        Path dir = Files.createTempDirectory("onramp-group-match");
        Vertx vertx = Vertx.vertx();
        Database database = Database.openH2(vertx, dir);
        try {
            List<String> keys = new ArrayList<>();
            List<EnrollmentGroup> groups = new ArrayList<>();
            for (int i = 0; i < groupCount; i++) {
                keys.add(SymmetricKeys.generate());
                groups.add(group("line-" + i, keys.get(i)));
            }
            JdbcEnrollmentStore enrollments = new JdbcEnrollmentStore(database);
            enrollments.start(groups, List.of()).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            JdbcRegistrationStore registrations = new JdbcRegistrationStore(database);
            SymmetricKeyAttestor attestor = new SymmetricKeyAttestor(SCOPE, enrollments, registrations,
                    new SasTokenVerifier(Clock.systemUTC(), Duration.ofMinutes(5)));
            String stranger = SymmetricKeys.generate();
            // Device i of a batch order: 100 devices of one group, then 100 of the next.
            measure(out, groupCount, "batches of one group", attestor, attestations,
                    i -> keys.get(i / 100 % groupCount), true);
            measure(out, groupCount, "each after another group", attestor, attestations,
                    i -> keys.get(i * 7 % groupCount), true);
            measure(out, groupCount, "no group's key (refused)", attestor, attestations / 10 + 1, i -> stranger, false);
            // The same devices again, now each with the record of its registration (as after a power cut).
            List<Future<RegistrationRecord>> saved = new ArrayList<>();
            for (int i = 0; i < attestations; i++) {
                saved.add(registrations.save(assigned("dev-" + i, "line-" + i * 7 % groupCount)));
            }
            Future.all(saved).toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
            measure(out, groupCount, "re-registering, mixed", attestor, attestations, i -> keys.get(i * 7 % groupCount),
                    true);
        } finally {
            database.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            Directories.deleteTree(dir);
        }
    }

    private static void measure(PrintStream out, int groups, String order, SymmetricKeyAttestor attestor, int count,
            IntFunction<String> groupKeyOf, boolean admitted) throws Exception {
        List<String> tokens = new ArrayList<>(count);
        long expiry = Instant.now().getEpochSecond() + 3600;
        for (int i = 0; i < count; i++) {
            String id = "dev-" + i;
            byte[] deviceKey = SymmetricKeys.deriveDeviceKey(SymmetricKeys.decode(groupKeyOf.apply(i)), id);
            tokens.add(SasTokenSigner.sign(SCOPE + "/registrations/" + id, expiry, deviceKey, "registration"));
        }
        double best = Double.MAX_VALUE;
        double bestCpu = Double.MAX_VALUE;
        for (int round = 0; round < ROUNDS; round++) {
            long start = System.nanoTime();
            long cpu = OS.getProcessCpuTime();
            for (int i = 0; i < count; i++) {
                // Completed at once unless the store had to be read: then this waits, as the event loop would not.
                boolean ok = attestor.attest(SCOPE, "dev-" + i, new DeviceCredential.Sas(tokens.get(i)))
                        .toCompletionStage().toCompletableFuture().handle((device, refused) -> refused == null).get();
                if (ok != admitted) {
                    throw new IllegalStateException("device " + i + (admitted ? " refused" : " admitted"));
                }
            }
            best = Math.min(best, (System.nanoTime() - start) / 1e3 / count);
            bestCpu = Math.min(bestCpu, (OS.getProcessCpuTime() - cpu) / 1e3 / count);
        }
        out.printf("%4d groups, %-26s %8.1f us per attestation, %6.1f us of CPU (best of %d rounds of %,d)%n", groups,
                order, best, bestCpu, ROUNDS, count);
    }

    private static RegistrationRecord assigned(String registrationId, String enrollmentGroupId) {
        Instant now = Instant.now();
        return new RegistrationRecord(registrationId, EnrollmentRef.group(enrollmentGroupId), registrationId,
                "127.0.0.2", RegistrationStatus.ASSIGNED, RegistrationRecord.INITIAL_ASSIGNMENT, null, null, null,
                "\"1\"", now, now);
    }

    private static EnrollmentGroup group(String id, String key) {
        Instant now = Instant.now();
        return new EnrollmentGroup(id, new SymmetricKeyAttestation(key, SymmetricKeys.generate()), null, null, null,
                ProvisioningStatus.ENABLED, AllocationPolicyKind.HASHED, null, null, false, null, now, now,
                EnrollmentSource.CONFIG);
    }
}
