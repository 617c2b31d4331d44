package io.onramp.gateway.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.certs.sas.SasTokenSigner;
import io.onramp.certs.sas.SasTokenVerifier;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.error.ProvisioningException;
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
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group members among many symmetric-key groups, against the real enrollment store. */
class SymmetricKeyAttestorTest {

    private static final String SCOPE = "0ne00000001";
    private static final int GROUPS = 70;

    @TempDir
    Path dir;
    Vertx vertx = Vertx.vertx();
    Database database;
    JdbcEnrollmentStore enrollments;
    JdbcRegistrationStore registrations;
    SymmetricKeyAttestor attestor;
    final List<String> primaryKeys = new ArrayList<>();
    final List<String> secondaryKeys = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        database = Database.openH2(vertx, dir);
        enrollments = new JdbcEnrollmentStore(database);
        List<EnrollmentGroup> groups = new ArrayList<>();
        for (int i = 0; i < GROUPS; i++) {
            primaryKeys.add(SymmetricKeys.generate());
            secondaryKeys.add(SymmetricKeys.generate());
            groups.add(group("line-" + i, primaryKeys.get(i), secondaryKeys.get(i)));
        }
        await(enrollments.start(groups, List.of()));
        registrations = new JdbcRegistrationStore(database);
        attestor = new SymmetricKeyAttestor(SCOPE, enrollments, registrations,
                new SasTokenVerifier(Clock.systemUTC(), Duration.ofMinutes(5)));
    }

    @AfterEach
    void stop() throws Exception {
        database.close();
        await(vertx.close());
    }

    @Test
    void eachDeviceIsFoundInItsOwnGroupWhicheverGroupMatchedBefore() throws Exception {
        // A batch of one group, then devices of groups before and after it in the list, in turn.
        for (int group : new int[] {30, 30, 30, 2, 39, 0, 30, 17}) {
            String id = "dev-" + group + "-" + System.nanoTime();
            AttestedDevice device = attest(id, SymmetricKeys.deriveDeviceKey(primaryKeys.get(group), id));

            assertThat(device.enrollmentRef()).isEqualTo(EnrollmentRef.group("line-" + group));
            assertThat(device.deviceKeys()).containsExactly(SymmetricKeys.deriveDeviceKey(primaryKeys.get(group), id),
                    SymmetricKeys.deriveDeviceKey(secondaryKeys.get(group), id));
        }
        // The secondary key's devices too.
        assertThat(attest("dev-sec", SymmetricKeys.deriveDeviceKey(secondaryKeys.get(5), "dev-sec")).enrollmentRef())
                .isEqualTo(EnrollmentRef.group("line-5"));
    }

    @Test
    void aGroupThatMatchedLastAndIsThenRemovedNoLongerAdmitsItsDevices() throws Exception {
        String id = "dev-removed";
        String key = SymmetricKeys.deriveDeviceKey(primaryKeys.get(7), id);
        assertThat(attest(id, key).enrollmentRef()).isEqualTo(EnrollmentRef.group("line-7"));

        List<EnrollmentGroup> without = IntStream.range(0, GROUPS).filter(i -> i != 7)
                .mapToObj(i -> group("line-" + i, primaryKeys.get(i), secondaryKeys.get(i))).toList();
        await(enrollments.syncConfig(without, List.of()));

        assertThatThrownBy(() -> attest(id, key)).isInstanceOf(ProvisioningException.class)
                .hasMessageContaining("verifies against no symmetric-key enrollment group")
                .hasMessageContaining("line-0, line-1").hasMessageContaining("and 59 more");
        // And the other groups' devices still come in.
        assertThat(attest("dev-other", SymmetricKeys.deriveDeviceKey(primaryKeys.get(8), "dev-other")).enrollmentRef())
                .isEqualTo(EnrollmentRef.group("line-8"));
    }

    /**
     * With this many groups a device of another group than the last is tried first in the group its record names.
     * Seen through two groups that share a key: in list order the first of them admits the device; its record
     * names the second.
     */
    @Test
    void aReRegisteringDeviceIsTriedFirstInTheGroupItsRecordNames() throws Exception {
        assertThat(GROUPS).isGreaterThanOrEqualTo(SymmetricKeyAttestor.STORED_GROUP_FROM);
        List<EnrollmentGroup> withTwin = new ArrayList<>(IntStream.range(0, GROUPS)
                .mapToObj(i -> group("line-" + i, primaryKeys.get(i), secondaryKeys.get(i))).toList());
        withTwin.add(group("line-5-twin", primaryKeys.get(5), secondaryKeys.get(5)));
        await(enrollments.syncConfig(withTwin, List.of()));
        await(registrations.save(assignedThrough("dev-twin", "line-5-twin")));

        attest("dev-a", SymmetricKeys.deriveDeviceKey(primaryKeys.get(2), "dev-a"));
        assertThat(attest("dev-twin", SymmetricKeys.deriveDeviceKey(primaryKeys.get(5), "dev-twin")).enrollmentRef())
                .isEqualTo(EnrollmentRef.group("line-5-twin"));
        attest("dev-b", SymmetricKeys.deriveDeviceKey(primaryKeys.get(2), "dev-b"));
        assertThat(attest("dev-new", SymmetricKeys.deriveDeviceKey(primaryKeys.get(5), "dev-new")).enrollmentRef())
                .isEqualTo(EnrollmentRef.group("line-5"));
    }

    @Test
    void aRecordNamingAGroupThatNoLongerAdmitsTheDeviceLeavesItToTheOthers() throws Exception {
        await(registrations.save(assignedThrough("dev-moved", "line-30")));
        await(registrations.save(assignedThrough("dev-gone", "line-99")));
        attest("dev-a", SymmetricKeys.deriveDeviceKey(primaryKeys.get(2), "dev-a"));

        assertThat(attest("dev-moved", SymmetricKeys.deriveDeviceKey(primaryKeys.get(7), "dev-moved")).enrollmentRef())
                .isEqualTo(EnrollmentRef.group("line-7"));
        assertThat(attest("dev-gone", SymmetricKeys.deriveDeviceKey(secondaryKeys.get(12), "dev-gone")).enrollmentRef())
                .isEqualTo(EnrollmentRef.group("line-12"));
        assertThatThrownBy(() -> attest("dev-moved", SymmetricKeys.generate()))
                .isInstanceOf(ProvisioningException.class)
                .hasMessageContaining("verifies against no symmetric-key enrollment group");
    }

    @Test
    void aTokenOfNoGroupsKeyIsRefusedAndAnExpiredOneSaysSo() {
        assertThatThrownBy(() -> attest("dev-x", SymmetricKeys.generate()))
                .isInstanceOf(ProvisioningException.class).hasMessageContaining("groups tried: line-0");
        String key = SymmetricKeys.deriveDeviceKey(primaryKeys.get(3), "dev-old");
        String expired = SasTokenSigner.sign(SCOPE + "/registrations/dev-old", Instant.now().getEpochSecond() - 3600,
                SymmetricKeys.decode(key), "registration");
        assertThatThrownBy(() -> await(attestor.attest(SCOPE, "dev-old", new DeviceCredential.Sas(expired))))
                .isInstanceOf(ProvisioningException.class).hasMessageContaining("expired SAS token");
    }

    private static RegistrationRecord assignedThrough(String registrationId, String enrollmentGroupId) {
        Instant now = Instant.now();
        return new RegistrationRecord(registrationId, EnrollmentRef.group(enrollmentGroupId), registrationId,
                "127.0.0.2", RegistrationStatus.ASSIGNED, RegistrationRecord.INITIAL_ASSIGNMENT, null, null, null,
                "\"1\"", now, now);
    }

    private AttestedDevice attest(String registrationId, String deviceKey) throws Exception {
        String token = SasTokenSigner.sign(SCOPE + "/registrations/" + registrationId,
                Instant.now().getEpochSecond() + 3600, SymmetricKeys.decode(deviceKey), "registration");
        return await(attestor.attest(SCOPE, registrationId, new DeviceCredential.Sas(token)));
    }

    /** The result, or the failure itself (not wrapped), as a caller of the future would see it. */
    private static <T> T await(Future<T> future) throws Exception {
        try {
            return future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private static EnrollmentGroup group(String id, String primary, String secondary) {
        Instant now = Instant.now();
        return new EnrollmentGroup(id, new SymmetricKeyAttestation(primary, secondary), null, null, null,
                ProvisioningStatus.ENABLED, AllocationPolicyKind.HASHED, null, null, false, null, now, now,
                EnrollmentSource.CONFIG);
    }
}
