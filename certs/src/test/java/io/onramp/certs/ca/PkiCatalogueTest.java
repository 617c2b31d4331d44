package io.onramp.certs.ca;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.certs.ca.PkiCatalogue.Name;
import io.onramp.certs.pem.PemReader;
import io.onramp.certs.x509.Crls;
import io.onramp.certs.x509.SubjectNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PkiCatalogueTest {

    @TempDir
    Path dir;

    @Test
    void everyDeviceButWrongCnCarriesTheDeviceId() {
        PkiCatalogue pki = PkiCatalogue.builder().deviceId("plc-7").build();

        for (Name name : List.of(Name.LEAF, Name.EXPIRED, Name.NOT_YET_VALID, Name.REVOKED, Name.OTHER_CA_LEAF,
                Name.UNPROVEN_CA_LEAF, Name.SELF_SIGNED)) {
            assertThat(SubjectNames.commonName(pki.certificate(name))).as(name.name()).contains("plc-7");
        }
        assertThat(SubjectNames.commonName(pki.certificate(Name.WRONG_CN))).contains("not-plc-7");
    }

    @Test
    void chainsAreWhatADeviceSends() {
        PkiCatalogue pki = PkiCatalogue.create();

        assertThat(pki.chain(Name.LEAF)).containsExactly(pki.certificate(Name.LEAF), pki.certificate(Name.INTERMEDIATE));
        assertThat(pki.chain(Name.OTHER_CA_LEAF)).containsExactly(pki.certificate(Name.OTHER_CA_LEAF));
        assertThat(pki.chain(Name.SELF_SIGNED)).containsExactly(pki.certificate(Name.SELF_SIGNED));
        assertThat(pki.chain(Name.INTERMEDIATE)).containsExactly(pki.certificate(Name.INTERMEDIATE));
    }

    @Test
    void datesAreRelativeToNow() {
        PkiCatalogue pki = PkiCatalogue.create();
        Instant now = Instant.now();

        assertThat(pki.certificate(Name.EXPIRED).getNotAfter().toInstant()).isBefore(now);
        assertThat(pki.certificate(Name.NOT_YET_VALID).getNotBefore().toInstant()).isAfter(now);
    }

    @Test
    void writesPemFilesWithSecretKeys() throws Exception {
        PkiCatalogue pki = PkiCatalogue.create();

        List<Path> files = pki.writeTo(dir.resolve("demo"));

        Path demo = dir.resolve("demo");
        assertThat(files).contains(demo.resolve("not-yet-valid.cert.pem"), demo.resolve("leaf.chain.pem"),
                demo.resolve("intermediate.crl.pem"));
        assertThat(pki.files(demo)).as("listed before writing, for an overwrite check").isEqualTo(files);
        assertThat(PemReader.readCertificates(demo.resolve("leaf.chain.pem"))).isEqualTo(pki.chain(Name.LEAF));
        assertThat(PemReader.readPrivateKey(demo.resolve("root.key.pem"))).isEqualTo(pki.material(Name.ROOT).privateKey());
        assertThat(Files.readString(demo.resolve("leaf.key.pem"))).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Crls.read(demo.resolve("intermediate.crl.pem"))).isEqualTo(pki.intermediateCrl());
        assertThat(Files.exists(demo.resolve("root.chain.pem"))).isFalse();
        if (Files.getFileStore(demo).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(demo.resolve("leaf.key.pem"))))
                    .isEqualTo("rw-------");
        }
    }
}
