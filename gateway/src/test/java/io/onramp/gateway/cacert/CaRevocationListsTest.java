package io.onramp.gateway.cacert;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.onramp.certs.ca.CrlIssuer;
import io.onramp.certs.ca.PkiCatalogue;
import io.onramp.certs.ca.PkiCatalogue.Name;
import io.onramp.certs.pem.PemWriter;
import io.onramp.gateway.config.GatewayConfig.CaCertificateConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** A CRL past its nextUpdate fails closed; loading one must warn that the CA's devices are refused. */
class CaRevocationListsTest {

    static final PkiCatalogue PKI = PkiCatalogue.builder().deviceId("crl-dev").build();
    static final Instant NOW = Instant.parse("2026-11-28T08:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path dir;
    final ListAppender<ILoggingEvent> log = new ListAppender<>();
    final Logger logger = (Logger) LoggerFactory.getLogger(CaRevocationLists.class);

    @BeforeEach
    void capture() {
        log.start();
        logger.addAppender(log);
    }

    @AfterEach
    void release() {
        logger.detachAppender(log);
    }

    @Test
    void aStaleCrlIsWarnedOfWhenLoadedAndWhenReloaded() throws Exception {
        Path file = dir.resolve("line-8.crl.pem");
        X509CRL stale = crl(NOW.minus(Duration.ofDays(3)), NOW.minus(Duration.ofDays(1)));
        PemWriter.write(file, PemWriter.toPem(stale), false);

        CaRevocationLists crls = new CaRevocationLists(List.of(new CaCertificateConfig("line-8",
                PKI.certificate(Name.INTERMEDIATE), true, file, stale)), CLOCK);

        assertThat(warnings()).singleElement().satisfies(w -> assertThat(w)
                .contains("line-8", file.toString(), "stale", "refused", "until a fresh CRL is published"));

        // a fresh CRL is reloaded quietly; a stale one published again warns again
        log.list.clear();
        PemWriter.write(file, PemWriter.toPem(crl(NOW, NOW.plus(Duration.ofDays(7)))), false);
        Files.setLastModifiedTime(file, FileTime.from(NOW.plusSeconds(60)));
        assertThat(crls.reloadChanged()).isTrue();
        assertThat(warnings()).isEmpty();
        PemWriter.write(file, PemWriter.toPem(stale), false);
        Files.setLastModifiedTime(file, FileTime.from(NOW.plusSeconds(120)));
        assertThat(crls.reloadChanged()).isTrue();
        assertThat(warnings()).singleElement().satisfies(w -> assertThat(w).contains("line-8", "stale"));
    }

    private static X509CRL crl(Instant thisUpdate, Instant nextUpdate) {
        return CrlIssuer.issue(PKI.material(Name.INTERMEDIATE), List.of(PKI.certificate(Name.REVOKED)), thisUpdate,
                nextUpdate);
    }

    private List<String> warnings() {
        return log.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
    }
}
