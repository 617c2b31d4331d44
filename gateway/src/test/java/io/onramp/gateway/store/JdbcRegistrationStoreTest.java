package io.onramp.gateway.store;

import static io.onramp.gateway.store.StoreFutures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.gateway.provisioning.EnrollmentRef;
import io.onramp.gateway.provisioning.RegistrationRecord;
import io.onramp.gateway.provisioning.RegistrationStatus;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcRegistrationStoreTest {

    private static final Instant NOW = Instant.parse("2026-11-27T17:00:00Z");

    @TempDir
    Path dir;
    Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        await(vertx.close());
    }

    @Test
    void recordsStoredBeforeAStartAreFoundOnceTheKeysAreLoadedAndUnknownOnesAreNot() throws Exception {
        Database first = Database.openH2(vertx, dir);
        JdbcRegistrationStore before = new JdbcRegistrationStore(first);
        await(before.save(record("Press-7")));
        await(before.save(record("lathe-1")));
        first.close();

        Database database = Database.openH2(vertx, dir);
        JdbcRegistrationStore store = new JdbcRegistrationStore(database);
        await(store.save(record("drill-3"))); // saved while the keys may still be loading
        await(store.filterLoaded());

        assertThat(await(store.find("press-7"))).map(RegistrationRecord::registrationId).contains("Press-7");
        assertThat(await(store.find("LATHE-1"))).isPresent();
        assertThat(await(store.find("drill-3"))).isPresent();
        assertThat(await(store.find("never-registered"))).isEmpty();
        database.close();
    }

    @Test
    void aFirstRecordIsInsertedAndALaterOneMergedAlsoAfterAStart() throws Exception {
        Database first = Database.openH2(vertx, dir);
        await(new JdbcRegistrationStore(first).save(record("press-7")));
        first.close();
        Database database = Database.openH2(vertx, dir);
        JdbcRegistrationStore store = new JdbcRegistrationStore(database);
        await(store.filterLoaded());
        QueryStatistics.start(database);

        await(store.save(record("sensor-1")));
        assertThat(QueryStatistics.executions(database, JdbcRegistrationStore.INSERT)).isEqualTo(1);
        assertThat(QueryStatistics.executions(database, JdbcRegistrationStore.MERGE)).isZero();

        await(store.save(record("sensor-1")));
        await(store.save(record("Press-7")));
        assertThat(QueryStatistics.executions(database, JdbcRegistrationStore.INSERT)).isEqualTo(1);
        assertThat(QueryStatistics.executions(database, JdbcRegistrationStore.MERGE)).isEqualTo(2);
        assertThat(await(store.page(null, 10))).extracting(RegistrationRecord::registrationId)
                .containsExactly("Press-7", "sensor-1");
        database.close();
    }

    @Test
    void theOperationThatWroteARecordIsReadBackWithItAfterAStart() throws Exception {
        Database first = Database.openH2(vertx, dir);
        RegistrationRecord r = record("press-7");
        RegistrationRecord written = new RegistrationRecord(r.registrationId(), r.enrollment(), r.deviceId(),
                r.assignedHub(), r.status(), r.substatus(), null, null, null, r.etag(), NOW, NOW, null, null,
                "5.0123456789abcdef.3f0e6c1c-2b8a-4a57-9c62-0d4f5e2b9a11");
        await(new JdbcRegistrationStore(first).save(written));
        first.close();

        Database database = Database.openH2(vertx, dir);
        assertThat(await(new JdbcRegistrationStore(database).find("PRESS-7")).orElseThrow()).isEqualTo(written);
        database.close();
    }

    @Test
    void aRecordSavedAfterLoadingIsFound() throws Exception {
        Database database = Database.openH2(vertx, dir);
        JdbcRegistrationStore store = new JdbcRegistrationStore(database);
        await(store.filterLoaded());
        assertThat(await(store.find("sensor-1"))).isEqualTo(Optional.empty());

        await(store.save(record("sensor-1")));

        assertThat(await(store.find("SENSOR-1"))).map(RegistrationRecord::assignedHub).contains("127.0.0.2");
        database.close();
    }

    @Test
    void everyRecordIsPagedInRegistrationIdOrderWhateverItsEnrollment() throws Exception {
        Database database = Database.openH2(vertx, dir);
        JdbcRegistrationStore store = new JdbcRegistrationStore(database);
        await(store.save(record("sensor-2")));
        await(store.save(record("Press-7", EnrollmentRef.individual("Press-7"))));
        await(store.save(record("sensor-1")));

        List<RegistrationRecord> first = await(store.page(null, 2));
        List<RegistrationRecord> second = await(store.page("sensor-1", 2));

        assertThat(first).map(RegistrationRecord::registrationId).containsExactly("Press-7", "sensor-1");
        assertThat(second).map(RegistrationRecord::registrationId).containsExactly("sensor-2");
        database.close();
    }

    private static RegistrationRecord record(String registrationId) {
        return record(registrationId, EnrollmentRef.group("sensors"));
    }

    private static RegistrationRecord record(String registrationId, EnrollmentRef enrollment) {
        return new RegistrationRecord(registrationId, enrollment, registrationId, "127.0.0.2",
                RegistrationStatus.ASSIGNED, RegistrationRecord.INITIAL_ASSIGNMENT, null, null, null, Etags.next(), NOW, NOW);
    }
}
