package io.onramp.gateway.store;

import static io.onramp.gateway.store.StoreFutures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.policy.allocation.AllocationPolicyKind;
import io.onramp.policy.enrollment.EnrollmentSource;
import io.onramp.policy.enrollment.IndividualEnrollment;
import io.onramp.policy.enrollment.ProvisioningStatus;
import io.onramp.policy.enrollment.SymmetricKeyAttestation;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcEnrollmentStoreTest {

    private static final String KEY = "8isrFI1sGsIlvvFSSFRiMfCNzv21fjbE/+ah/lSh3lF8e2YG1Te7w1KpZhJFFXJrqYKi9yegxkqIChbqOS9Egw==";

    @TempDir
    Path dir;
    Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        await(vertx.close());
    }

    @Test
    void individualEnrollmentsAreFoundWhetherWrittenNowOrStoredBeforeTheStart() throws Exception {
        Database first = Database.openH2(vertx, dir);
        JdbcEnrollmentStore written = new JdbcEnrollmentStore(first);
        await(written.individualsLoaded());
        await(written.start(List.of(), List.of(individual("Press-7"))));
        assertThat(await(written.individual("press-7"))).isPresent();
        assertThat(await(written.individual("lathe-1"))).isEmpty();
        first.close();

        // Not started again: the enrollment is found through the keys loaded from the file.
        Database database = Database.openH2(vertx, dir);
        JdbcEnrollmentStore reopened = new JdbcEnrollmentStore(database);
        await(reopened.individualsLoaded());
        assertThat(await(reopened.individual("PRESS-7"))).map(IndividualEnrollment::registrationId).contains("Press-7");
        assertThat(await(reopened.individual("lathe-1"))).isEmpty();
        database.close();
    }

    @Test
    void configSyncKeepsWhatTheFileDidNotChangeEtagIncludedAndSaysWhatChanged() throws Exception {
        Database database = Database.openH2(vertx, dir);
        JdbcEnrollmentStore store = new JdbcEnrollmentStore(database);
        assertThat(await(store.syncConfig(List.of(), List.of(individual("press-7"), individual("press-8"),
                individual("press-9"))))).isEqualTo(new ConfigEnrollmentChanges(3, 0, List.of()));
        String press7 = await(store.individual("press-7")).orElseThrow().etag();
        String press8 = await(store.individual("press-8")).orElseThrow().etag();

        ConfigEnrollmentChanges changes = await(store.syncConfig(List.of(), List.of(individual("press-7"),
                individual("press-8", ProvisioningStatus.DISABLED), individual("press-10"))));

        assertThat(changes).isEqualTo(new ConfigEnrollmentChanges(1, 1, List.of("individual press-9")));
        assertThat(await(store.individual("press-7")).orElseThrow().etag()).isEqualTo(press7);
        IndividualEnrollment changed = await(store.individual("press-8")).orElseThrow();
        assertThat(changed.provisioningStatus()).isEqualTo(ProvisioningStatus.DISABLED);
        assertThat(changed.etag()).isNotEqualTo(press8);
        assertThat(await(store.individual("press-9"))).isEmpty();
        assertThat(await(store.individual("press-10"))).isPresent();
        assertThat(await(store.syncConfig(List.of(), List.of(individual("press-7"),
                individual("press-8", ProvisioningStatus.DISABLED), individual("press-10")))).any()).isFalse();
        database.close();
    }

    private static IndividualEnrollment individual(String registrationId) {
        return individual(registrationId, ProvisioningStatus.ENABLED);
    }

    /** As the config file's reader makes it: created now, each time the file is read. */
    private static IndividualEnrollment individual(String registrationId, ProvisioningStatus status) {
        Instant now = Instant.now();
        return new IndividualEnrollment(registrationId, null, new SymmetricKeyAttestation(KEY, null), null, null, null,
                status, AllocationPolicyKind.HASHED, null, null, false, null, null, now, now,
                EnrollmentSource.CONFIG);
    }
}
