package io.onramp.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import io.onramp.certs.ca.CaMaterial;
import io.onramp.certs.ca.CertificateAuthority;
import io.onramp.certs.pem.PemReader;
import io.onramp.certs.pem.PemWriter;
import io.onramp.gateway.config.GatewayConfig.TlsConfig;
import io.onramp.gateway.support.CapturedLog;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificateExpiryTest {

    static final Instant T0 = Instant.parse("2026-11-29T12:00:00Z");

    @TempDir
    Path dir;
    private final CapturedLog log = CapturedLog.of(CertificateExpiry.class);

    @AfterEach
    void detach() {
        log.close();
    }

    @Test
    void aSelfMadeServerCertificateIsIssuedAgainByTheSameCaThirtyDaysBeforeItsEnd() throws Exception {
        TlsConfig selfMade = new TlsConfig(null, null, List.of("127.0.0.1"), TlsConfig.Engine.JDK);
        CertificateExpiry expiry = new CertificateExpiry(dir);
        assertThat(expiry.check(selfMade, List.of("127.0.0.2"), at(T0))).as("made at the first start").isTrue();
        X509Certificate first = served();
        log.clear();

        // WHEN checked a hundred days on THEN nothing to do, nothing said
        assertThat(expiry.check(selfMade, List.of("127.0.0.2"), at(T0.plus(Duration.ofDays(100))))).isFalse();
        assertThat(log.lines()).isEmpty();
        assertThat(expiry.serverNotAfter()).isEqualTo(first.getNotAfter().toInstant());

        // WHEN checked 29 days before its end THEN issued again, by the same CA, for the same names, said once
        Instant late = first.getNotAfter().toInstant().minus(Duration.ofDays(29));
        assertThat(expiry.check(selfMade, List.of("127.0.0.2"), at(late))).isTrue();
        X509Certificate renewed = served();
        assertThat(renewed.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
        assertThat(renewed.getIssuerX500Principal()).isEqualTo(first.getIssuerX500Principal());
        assertThat(renewed.getNotAfter().toInstant()).isAfter(late.plus(Duration.ofDays(700)));
        assertThat(renewed.getSubjectAlternativeNames()).containsExactlyElementsOf(first.getSubjectAlternativeNames());
        assertThat(expiry.serverNotAfter()).isEqualTo(renewed.getNotAfter().toInstant());
        assertThat(log.lines()).singleElement().satisfies(line -> {
            assertThat(line.getLevel()).isEqualTo(Level.INFO);
            assertThat(line.getFormattedMessage()).contains("issued again by the same CA");
        });
    }

    @Test
    void theSelfMadeCaIsWarnedOfHalfAYearBeforeItsEnd() {
        TlsConfig selfMade = new TlsConfig(null, null, List.of("127.0.0.1"), TlsConfig.Engine.JDK);
        CertificateExpiry expiry = new CertificateExpiry(dir);
        expiry.check(selfMade, List.of(), at(T0));
        Instant caEnd = PemReader.readCertificates(dir.resolve("tls").resolve("ca.pem")).get(0).getNotAfter().toInstant();
        log.clear();

        expiry.check(selfMade, List.of(), at(caEnd.minus(Duration.ofDays(181))));
        assertThat(log.lines()).filteredOn(line -> line.getLevel() == Level.WARN).isEmpty();
        expiry.check(selfMade, List.of(), at(caEnd.minus(Duration.ofDays(100))));
        assertThat(log.lines()).filteredOn(line -> line.getLevel() == Level.WARN).singleElement()
                .extracting(ILoggingEvent::getFormattedMessage).asString()
                .contains("the self-made CA", "in 100 days", "devices must be given a new CA");
    }

    @Test
    void anOperatorsCertificateIsWarnedOfDailyFromThirtyDaysBeforeItsEndAndAnErrorOnceEnded() throws Exception {
        CaMaterial root = CertificateAuthority.createRoot("operator root", Duration.ofDays(3650), at(T0));
        CaMaterial server = CertificateAuthority.issueServer(root, "dps.factory.local", List.of("dps.factory.local"),
                Duration.ofDays(90), at(T0));
        Path chain = dir.resolve("server.pem");
        Path key = dir.resolve("server.key");
        PemWriter.write(chain, PemWriter.toPem(server.certificate(), root.certificate()), false);
        PemWriter.write(key, PemWriter.toPem(server.privateKey()), true);
        TlsConfig operators = new TlsConfig(chain, key, List.of(), TlsConfig.Engine.JDK);
        CertificateExpiry expiry = new CertificateExpiry(dir);
        Instant end = server.certificate().getNotAfter().toInstant();

        assertThat(expiry.check(operators, List.of(), at(end.minus(Duration.ofDays(31))))).isFalse();
        assertThat(log.lines()).isEmpty();
        assertThat(expiry.serverNotAfter()).isEqualTo(end);

        expiry.check(operators, List.of(), at(end.minus(Duration.ofDays(12))));
        expiry.check(operators, List.of(), at(end.minus(Duration.ofDays(11))));
        assertThat(log.lines()).hasSize(2).allSatisfy(line -> assertThat(line.getLevel()).isEqualTo(Level.WARN));
        assertThat(log.lines().get(0).getFormattedMessage()).contains(chain.toString(), "in 12 days",
                "put a renewed one in its place");

        expiry.check(operators, List.of(), at(end.plus(Duration.ofHours(1))));
        assertThat(log.lines().get(2).getLevel()).isEqualTo(Level.ERROR);
        assertThat(log.lines().get(2).getFormattedMessage()).contains(chain.toString(), "expired at");
        assertThat(dir.resolve("tls")).as("nothing self-made for an operator's certificate").doesNotExist();
    }

    private X509Certificate served() {
        return PemReader.readCertificates(dir.resolve("tls").resolve("server.pem")).get(0);
    }

    private static Clock at(Instant instant) {
        return Clock.fixed(instant, ZoneOffset.UTC);
    }
}
