package io.onramp.certs.x509;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.onramp.certs.ca.CrlIssuer;
import io.onramp.certs.ca.KeyAlgorithm;
import io.onramp.certs.ca.PkiCatalogue;
import io.onramp.certs.ca.PkiCatalogue.Name;
import io.onramp.certs.pem.PemWriter;
import java.nio.file.Path;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Our verdicts agree with the JDK's PKIX and with {@code openssl verify} (skipped without openssl)
 * on the catalogue: the certificates we make are ordinary X.509, and our checks are not laxer.
 */
class InteropTest {

    static PkiCatalogue ec;
    static PkiCatalogue rsa;
    @TempDir
    static Path dir;

    @BeforeAll
    static void generate() {
        ec = PkiCatalogue.create();
        rsa = PkiCatalogue.builder().keyAlgorithm(KeyAlgorithm.RSA_2048).build();
    }

    @ParameterizedTest
    @EnumSource(value = Name.class, names = {"LEAF", "WRONG_CN", "EXPIRED", "NOT_YET_VALID", "REVOKED", "OTHER_CA_LEAF",
        "UNPROVEN_CA_LEAF"})
    void jdkPkixAgreesWithUs(Name name) throws Exception {
        for (PkiCatalogue pki : List.of(ec, rsa)) {
            boolean ours = ChainValidator.create().validate(pki.chain(name),
                    List.of(pki.trustedRoot(), pki.trustedIntermediate()), Clock.systemUTC()).isTrusted();

            assertThat(ours).as(name + " ours vs JDK").isEqualTo(jdkAccepts(pki, name));
        }
    }

    private static boolean jdkAccepts(PkiCatalogue pki, Name name) throws Exception {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(pki.certificate(Name.ROOT), null)));
        params.setDate(new Date());
        params.addCertStore(CertStore.getInstance("Collection",
                new CollectionCertStoreParameters(List.of(pki.intermediateCrl(), emptyRootCrl(pki)))));
        params.setRevocationEnabled(true);
        try {
            CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(pki.chain(name)), params);
            return true;
        } catch (CertPathValidatorException e) {
            return false;
        }
    }

    // PKIX with revocation on wants a status for every certificate, the intermediate included.
    private static X509CRL emptyRootCrl(PkiCatalogue pki) {
        return CrlIssuer.issue(pki.material(Name.ROOT), List.of(), Instant.now().minusSeconds(60),
                Instant.now().plusSeconds(3600));
    }

    @Test
    void opensslVerifiesTheGoodChainAndRefusesTheBadOnes() throws Exception {
        assumeTrue(opensslAvailable(), "openssl is not installed");
        Path root = write("root.pem", ec.certificate(Name.ROOT));
        Path crl = dir.resolve("crl.pem");
        PemWriter.write(crl, PemWriter.toPem(ec.intermediateCrl()), false);
        Path intermediate = write("intermediate.pem", ec.certificate(Name.INTERMEDIATE));

        for (Name name : List.of(Name.LEAF, Name.EXPIRED, Name.NOT_YET_VALID, Name.REVOKED, Name.OTHER_CA_LEAF)) {
            Path leaf = write(name.fileStem() + ".pem", ec.certificate(name));
            boolean ours = ChainValidator.create().validate(ec.chain(name), List.of(ec.trustedIntermediate(),
                    ec.trustedRoot()), Clock.systemUTC()).isTrusted();

            boolean openssl = run("openssl", "verify", "-purpose", "sslclient", "-crl_check", "-CRLfile", crl.toString(),
                    "-CAfile", root.toString(), "-untrusted", intermediate.toString(), leaf.toString()) == 0;

            assertThat(ours).as(name + " ours vs openssl").isEqualTo(openssl);
        }
        assertThat(run("openssl", "verify", "-CAfile", root.toString(), "-untrusted", intermediate.toString(),
                write("leaf.pem", ec.certificate(Name.LEAF)).toString())).isZero();
    }

    private static Path write(String file, X509Certificate cert) {
        Path path = dir.resolve(file);
        PemWriter.write(path, PemWriter.toPem(cert), false);
        return path;
    }

    private static boolean opensslAvailable() {
        try {
            return run("openssl", "version") == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private static int run(String... command) throws Exception {
        Process process = new ProcessBuilder(new ArrayList<>(List.of(command))).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("openssl hung");
        }
        return process.exitValue();
    }
}
