package io.onramp.gateway.store;

import static io.onramp.gateway.store.StoreFutures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.certs.ca.CrlIssuer;
import io.onramp.certs.ca.PkiCatalogue;
import io.onramp.certs.ca.PkiCatalogue.Name;
import io.onramp.certs.pem.PemWriter;
import io.onramp.gateway.cacert.CaCertificate;
import io.onramp.gateway.cacert.CaRevocationLists;
import io.onramp.gateway.config.GatewayConfig.CaCertificateConfig;
import io.onramp.gateway.error.ProvisioningException;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's time-dependent rules: a code's expiry, and CRL files replaced while running. */
class JdbcCaCertificateStoreTest {

    static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
    static final PkiCatalogue PKI = PkiCatalogue.builder().clock(Clock.fixed(T0, ZoneOffset.UTC)).build();

    @TempDir
    Path dir;
    Vertx vertx = Vertx.vertx();
    Database database;

    @AfterEach
    void close() throws Exception {
        if (database != null) {
            database.close();
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    JdbcCaCertificateStore storeAt(Instant now) throws Exception {
        if (database == null) {
            database = Database.openH2(vertx, dir);
        }
        JdbcCaCertificateStore store = new JdbcCaCertificateStore(database, Clock.fixed(now, ZoneOffset.UTC),
                new CaRevocationLists(List.of()));
        await(store.start(List.of()));
        return store;
    }

    @Test
    void aCodeIsRefusedOnceItsHourIsOverAndTheCaStaysUnverified() throws Exception {
        JdbcCaCertificateStore early = storeAt(T0);
        CaCertificate uploaded = await(early.put("ca", PKI.certificate(Name.UNPROVEN_ROOT), false, null));
        CaCertificate withCode = await(early.generateVerificationCode("ca", uploaded.etag()));
        var proof = PKI.verificationCertificate(Name.UNPROVEN_ROOT, withCode.verificationCode());

        JdbcCaCertificateStore late = storeAt(T0.plus(JdbcCaCertificateStore.CODE_LIFETIME).plusSeconds(1));

        assertThatThrownBy(() -> await(late.verify("ca", withCode.etag(), proof)))
                .hasRootCauseInstanceOf(ProvisioningException.class).rootCause().hasMessageContaining("expired");
        assertThat(await(late.find("ca")).verified()).isFalse();
        // Just inside the hour, the same proof is taken.
        JdbcCaCertificateStore inTime = storeAt(T0.plus(JdbcCaCertificateStore.CODE_LIFETIME).minusSeconds(1));
        assertThat(await(inTime.verify("ca", withCode.etag(), proof)).verified()).isTrue();
        assertThat(inTime.verified("CA")).isPresent();
    }

    @Test
    void aReplacedCrlFileIsTakenAndABrokenOneKeepsThePreviousCrl() throws Exception {
        Path file = dir.resolve("intermediate.crl.pem");
        PemWriter.write(file, PemWriter.toPem(PKI.intermediateCrl()), false);
        CaRevocationLists crls = new CaRevocationLists(List.of(new CaCertificateConfig("plant",
                PKI.certificate(Name.INTERMEDIATE), true, file, PKI.intermediateCrl())));
        assertThat(crls.reloadChanged()).isFalse();

        // A new CRL that also revokes the good leaf
        var next = CrlIssuer.issue(PKI.material(Name.INTERMEDIATE), List.of(PKI.certificate(Name.REVOKED),
                PKI.certificate(Name.LEAF)), T0, T0.plus(Duration.ofDays(7)));
        PemWriter.write(file, PemWriter.toPem(next), false);
        Files.setLastModifiedTime(file, FileTime.from(T0.plusSeconds(60)));
        assertThat(crls.reloadChanged()).isTrue();
        assertThat(crls.crl("PLANT").orElseThrow().isRevoked(PKI.certificate(Name.LEAF))).isTrue();

        // A CRL signed by someone else is not taken
        var foreign = CrlIssuer.issue(PKI.material(Name.OTHER_ROOT), List.of(), T0, T0.plus(Duration.ofDays(7)));
        PemWriter.write(file, PemWriter.toPem(foreign), false);
        Files.setLastModifiedTime(file, FileTime.from(T0.plusSeconds(120)));
        assertThat(crls.reloadChanged()).isFalse();
        assertThat(crls.crl("plant").orElseThrow()).isEqualTo(next);
    }
}
