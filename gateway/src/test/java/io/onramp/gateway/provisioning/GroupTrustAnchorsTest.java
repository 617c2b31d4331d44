package io.onramp.gateway.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.certs.ca.PkiCatalogue;
import io.onramp.certs.ca.PkiCatalogue.Name;
import io.onramp.certs.pem.PemWriter;
import io.onramp.certs.x509.TrustedCa;
import io.onramp.gateway.cacert.CaTrust;
import io.onramp.policy.enrollment.EnrollmentGroup;
import io.onramp.policy.enrollment.EnrollmentSource;
import io.onramp.policy.enrollment.X509Attestation;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which certificates a group trusts, with which CRL, and that the answer follows the CA certificates. */
class GroupTrustAnchorsTest {

    static final PkiCatalogue PKI = PkiCatalogue.create();

    /** The registered CA certificates, as the store would answer. */
    static final class Cas implements CaTrust {
        final Map<String, TrustedCa> verified = new HashMap<>();
        final Map<X509Certificate, X509CRL> crls = new HashMap<>();
        long version;

        @Override
        public Optional<TrustedCa> verified(String name) {
            return Optional.ofNullable(verified.get(name));
        }

        @Override
        public java.util.Collection<TrustedCa> allVerified() {
            return verified.values();
        }

        @Override
        public Optional<X509CRL> crl(X509Certificate certificate) {
            return Optional.ofNullable(crls.get(certificate));
        }

        @Override
        public long version() {
            return version;
        }
    }

    final Cas cas = new Cas();
    final GroupTrustAnchors anchors = new GroupTrustAnchors(new EnrollmentCertificateCache(), cas);

    static EnrollmentGroup group(String id, X509Attestation.Kind kind, String primary, String secondary) {
        return new EnrollmentGroup(id, new X509Attestation(kind, primary, secondary), null, null, null, null, null, null,
                null, false, "\"1\"", null, null, EnrollmentSource.API);
    }

    @Test
    void aReferenceTrustsTheVerifiedCaWithItsCrlUnderTheGroupsLabel() {
        cas.verified.put("plant", TrustedCa.of(PKI.certificate(Name.INTERMEDIATE)).withLabel("plant")
                .withCrl(PKI.intermediateCrl()));

        List<TrustedCa> trusted = anchors.of(group("g1", X509Attestation.Kind.CA_REFERENCES, "plant", "unknown"));

        assertThat(trusted).singleElement().satisfies(ca -> {
            assertThat(ca.certificate()).isEqualTo(PKI.certificate(Name.INTERMEDIATE));
            assertThat(ca.label()).isEqualTo("g1");
            assertThat(ca.revocationList()).contains(PKI.intermediateCrl());
        });
    }

    @Test
    void anAttachedCertificateTakesTheCrlOfTheSameRegisteredCa() {
        cas.crls.put(PKI.certificate(Name.INTERMEDIATE), PKI.intermediateCrl());

        List<TrustedCa> trusted = anchors.of(group("g2", X509Attestation.Kind.SIGNING_CERTIFICATES,
                PemWriter.toPem(PKI.certificate(Name.INTERMEDIATE)), PemWriter.toPem(PKI.certificate(Name.ROOT))));

        assertThat(trusted).hasSize(2);
        assertThat(trusted.get(0).revocationList()).contains(PKI.intermediateCrl());
        assertThat(trusted.get(1).revocationList()).isEmpty();
    }

    @Test
    void aCaThatLosesItsVerificationIsNoLongerTrustedOnceTheVersionMoves() {
        EnrollmentGroup group = group("g3", X509Attestation.Kind.CA_REFERENCES, "plant", null);
        cas.verified.put("plant", TrustedCa.of(PKI.certificate(Name.ROOT)).withLabel("plant"));
        assertThat(anchors.of(group)).hasSize(1);

        cas.verified.clear();
        assertThat(anchors.of(group)).as("cached for this version").hasSize(1);
        cas.version++;

        assertThat(anchors.of(group)).isEmpty();
    }
}
