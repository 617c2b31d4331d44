package io.onramp.certs.x509;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.certs.ca.CaMaterial;
import io.onramp.certs.ca.CertificateBuilder;
import io.onramp.certs.ca.CrlIssuer;
import io.onramp.certs.ca.KeyAlgorithm;
import io.onramp.certs.ca.PkiCatalogue;
import io.onramp.certs.ca.PkiCatalogue.Name;
import io.onramp.certs.error.CertsException;
import io.onramp.certs.x509.ChainValidationResult.Refused;
import io.onramp.certs.x509.ChainValidationResult.Trusted;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ChainValidatorTest {

    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final Instant FROM = NOW.minus(Duration.ofDays(1));
    static final Instant UNTIL = NOW.plus(Duration.ofDays(30));

    static PkiCatalogue pki;
    final ChainValidator validator = ChainValidator.create();

    @BeforeAll
    static void generate() {
        pki = PkiCatalogue.builder().deviceId("sensor-0042").clock(CLOCK).build();
    }

    static List<TrustedCa> trusting(Name... names) {
        List<TrustedCa> trusted = new ArrayList<>();
        for (Name name : names) {
            trusted.add(TrustedCa.of(pki.certificate(name)));
        }
        return trusted;
    }

    ChainValidationResult validate(List<X509Certificate> chain, List<TrustedCa> trusted) {
        return validator.validate(chain, trusted, CLOCK);
    }

    static Refused refused(ChainValidationResult result) {
        assertThat(result).isInstanceOf(Refused.class);
        return (Refused) result;
    }

    @Nested
    class Accepts {

        @Test
        void leafAndIntermediateUpToTheRoot() {
            ChainValidationResult result = validate(pki.chain(Name.LEAF), trusting(Name.ROOT));

            assertThat(result.isTrusted()).isTrue();
            Trusted trusted = (Trusted) result;
            assertThat(trusted.path()).containsExactly(pki.certificate(Name.LEAF),
                    pki.certificate(Name.INTERMEDIATE), pki.certificate(Name.ROOT));
            assertThat(trusted.anchor().certificate()).isEqualTo(pki.certificate(Name.ROOT));
            assertThat(trusted.leaf()).isEqualTo(pki.certificate(Name.LEAF));
            assertThat(trusted.leafCommonName()).contains("sensor-0042");
        }

        @Test
        void upToATrustedIntermediateWithItsCrl() {
            Trusted trusted = (Trusted) validate(pki.chain(Name.LEAF), List.of(pki.trustedIntermediate()));

            assertThat(trusted.path()).containsExactly(pki.certificate(Name.LEAF), pki.certificate(Name.INTERMEDIATE));
            assertThat(trusted.anchor().label()).isEqualTo("catalogue-intermediate");
        }

        @Test
        void aLeafWithoutItsIntermediateWhenTheIntermediateIsTrusted() {
            assertThat(validate(List.of(pki.certificate(Name.LEAF)), trusting(Name.INTERMEDIATE)).isTrusted()).isTrue();
        }

        @Test
        void aChainThatAlsoCarriesTheRoot() {
            List<X509Certificate> chain = List.of(pki.certificate(Name.LEAF), pki.certificate(Name.INTERMEDIATE),
                    pki.certificate(Name.ROOT));

            Trusted trusted = (Trusted) validate(chain, trusting(Name.ROOT));

            assertThat(trusted.path()).hasSize(3);
        }

        @Test
        void intermediatesInAnyOrderAfterTheLeaf() {
            CaMaterial second = CertificateBuilder.intermediateCa("Second Intermediate", pki.material(Name.ROOT))
                    .clock(CLOCK).issue();
            CaMaterial third = CertificateBuilder.intermediateCa("Third Intermediate", second).clock(CLOCK).issue();
            CaMaterial leaf = CertificateBuilder.device("deep", third).clock(CLOCK).issue();

            List<X509Certificate> chain = List.of(leaf.certificate(), second.certificate(), third.certificate());

            assertThat(((Trusted) validate(chain, trusting(Name.ROOT))).path()).hasSize(4);
        }

        @Test
        void aSelfSignedDeviceThatIsItselfTrusted() {
            Trusted trusted = (Trusted) validate(pki.chain(Name.SELF_SIGNED), trusting(Name.SELF_SIGNED));

            assertThat(trusted.path()).containsExactly(pki.certificate(Name.SELF_SIGNED));
        }

        @Test
        void aLeafThatIsItselfTrustedEvenIfIssuedByAnUntrustedCa() {
            // Individual enrollment: the enrolled certificate is the trust, whoever signed it.
            assertThat(validate(pki.chain(Name.OTHER_CA_LEAF), trusting(Name.OTHER_CA_LEAF)).isTrusted()).isTrue();
        }

        @Test
        void rsaChains() {
            CaMaterial root = CertificateBuilder.rootCa("RSA Root").keyAlgorithm(KeyAlgorithm.RSA_2048).clock(CLOCK).issue();
            CaMaterial ec = CertificateBuilder.intermediateCa("EC under RSA", root).clock(CLOCK).issue();
            CaMaterial leaf = CertificateBuilder.device("rsa-device", ec).keyAlgorithm(KeyAlgorithm.RSA_2048)
                    .clock(CLOCK).issue();

            assertThat(validator.validate(List.of(leaf.certificate(), ec.certificate()),
                    List.of(TrustedCa.of(root.certificate())), CLOCK).isTrusted()).isTrue();
        }

        @Test
        void whenOneOfSeveralTrustedCertificatesFits() {
            assertThat(validate(pki.chain(Name.LEAF), trusting(Name.OTHER_ROOT, Name.UNPROVEN_ROOT, Name.ROOT))
                    .isTrusted()).isTrue();
        }

        @Test
        void aTrustedCaWithTheSameNameButAnotherKeyIsSkippedForTheRightOne() {
            CaMaterial impostor = CertificateBuilder.rootCa("Onramp Test Root").clock(CLOCK).issue();

            assertThat(validate(pki.chain(Name.LEAF),
                    List.of(TrustedCa.of(impostor.certificate()), TrustedCa.of(pki.certificate(Name.ROOT))))
                    .isTrusted()).isTrue();
        }

        @Test
        void aLeafWithoutKeyUsageOrExtendedKeyUsage() {
            CaMaterial plain = OddCertificates.of("CN=plain", pki.material(Name.INTERMEDIATE), FROM, UNTIL).issue();

            assertThat(validate(List.of(plain.certificate()), trusting(Name.INTERMEDIATE)).isTrusted()).isTrue();
        }

        @Test
        void aLeafWithAnyExtendedKeyUsage() {
            CaMaterial any = OddCertificates.of("CN=any", pki.material(Name.INTERMEDIATE), FROM, UNTIL)
                    .extendedKeyUsage(KeyPurposeId.anyExtendedKeyUsage).issue();

            assertThat(validate(List.of(any.certificate()), trusting(Name.INTERMEDIATE)).isTrusted()).isTrue();
        }

        @Test
        void aSelfIssuedIntermediateDoesNotCountAgainstThePathLength() {
            CaMaterial root = CertificateBuilder.rootCa("Rollover Root").pathLength(0).clock(CLOCK).issue();
            // Key rollover: same name, new key, signed by the old key (RFC 5280 §6.1.4 (l)).
            CaMaterial rolled = OddCertificates.of("CN=Rollover Root", root, FROM, UNTIL).ca(0)
                    .keyUsage(KeyUsage.keyCertSign).issue();
            CaMaterial leaf = CertificateBuilder.device("rolled-device", rolled).clock(CLOCK).issue();

            assertThat(validate(List.of(leaf.certificate(), rolled.certificate()),
                    List.of(TrustedCa.of(root.certificate()))).isTrusted()).isTrue();
        }
    }

    @Nested
    class RefusesCatalogueCases {

        @Test
        void expiredLeaf() {
            Refused refused = refused(validate(pki.chain(Name.EXPIRED), trusting(Name.ROOT)));

            assertThat(refused.failure()).isEqualTo(ChainFailure.EXPIRED);
            assertThat(refused.certificate()).isEqualTo(pki.certificate(Name.EXPIRED));
            assertThat(refused.detail()).contains("CN=sensor-0042", "expired at");
        }

        @Test
        void notYetValidLeaf() {
            assertThat(refused(validate(pki.chain(Name.NOT_YET_VALID), trusting(Name.ROOT))).failure())
                    .isEqualTo(ChainFailure.NOT_YET_VALID);
        }

        @Test
        void revokedLeafThroughTheIntermediate() {
            Refused refused = refused(validate(pki.chain(Name.REVOKED), List.of(pki.trustedIntermediate())));

            assertThat(refused.failure()).isEqualTo(ChainFailure.REVOKED);
            assertThat(refused.detail()).contains("revoked by CA CN=Onramp Test Intermediate (trusted as catalogue-intermediate)");
        }

        @Test
        void revokedLeafWhenTheRootAnchorsAndTheIntermediateCarriesTheCrl() {
            List<TrustedCa> trusted = List.of(pki.trustedRoot(), pki.trustedIntermediate());

            // Both anchors are trusted; the path stops at the intermediate, whose CRL applies.
            assertThat(refused(validate(pki.chain(Name.REVOKED), trusted)).failure()).isEqualTo(ChainFailure.REVOKED);
        }

        @Test
        void theRevocationListDoesNotTouchOtherCertificates() {
            assertThat(validate(pki.chain(Name.LEAF), List.of(pki.trustedIntermediate())).isTrusted()).isTrue();
        }

        @Test
        void signedByAnotherCa() {
            Refused refused = refused(validate(pki.chain(Name.OTHER_CA_LEAF), trusting(Name.ROOT, Name.INTERMEDIATE)));

            assertThat(refused.failure()).isEqualTo(ChainFailure.UNTRUSTED_ISSUER);
            assertThat(refused.detail()).contains("Onramp Other Root");
        }

        @Test
        void signedByACaWhoseProofOfPossessionIsMissing() {
            // An unproven CA is simply not handed to the validator as trusted.
            assertThat(refused(validate(pki.chain(Name.UNPROVEN_CA_LEAF), trusting(Name.ROOT))).failure())
                    .isEqualTo(ChainFailure.UNTRUSTED_ISSUER);
        }

        @Test
        void wrongCommonNameIsACheckForTheCaller() {
            Trusted trusted = (Trusted) validate(pki.chain(Name.WRONG_CN), trusting(Name.ROOT));

            assertThat(trusted.leafCommonName()).contains("not-sensor-0042");
            assertThat(SubjectNames.commonNameEquals(trusted.leaf(), pki.deviceId())).isFalse();
        }

        @Test
        void aSelfSignedDeviceThatIsNotEnrolled() {
            assertThat(refused(validate(pki.chain(Name.SELF_SIGNED), trusting(Name.ROOT))).failure())
                    .isEqualTo(ChainFailure.UNTRUSTED_ISSUER);
        }

        @Test
        void anImpostorCaWithTheTrustedName() {
            CaMaterial impostor = CertificateBuilder.rootCa("Onramp Test Intermediate").clock(CLOCK).issue();
            CaMaterial leaf = CertificateBuilder.device("sensor-0042", impostor).clock(CLOCK).issue();

            Refused refused = refused(validate(List.of(leaf.certificate()), trusting(Name.INTERMEDIATE)));

            assertThat(refused.failure()).isEqualTo(ChainFailure.BAD_SIGNATURE);
        }

        @Test
        void aPresentedIntermediateWithTheRightNameButAnotherKey() {
            CaMaterial impostor = CertificateBuilder.rootCa("Onramp Test Intermediate").clock(CLOCK).issue();

            Refused refused = refused(validate(List.of(pki.certificate(Name.LEAF), impostor.certificate()),
                    trusting(Name.ROOT)));

            assertThat(refused.failure()).isEqualTo(ChainFailure.BAD_SIGNATURE);
        }

        @Test
        void aMissingIntermediate() {
            assertThat(refused(validate(List.of(pki.certificate(Name.LEAF)), trusting(Name.ROOT))).failure())
                    .isEqualTo(ChainFailure.UNTRUSTED_ISSUER);
        }

        @Test
        void aChainThatEndsInAnUntrustedRoot() {
            List<X509Certificate> chain = List.of(pki.certificate(Name.OTHER_CA_LEAF), pki.certificate(Name.OTHER_ROOT));

            assertThat(refused(validate(chain, trusting(Name.ROOT))).failure()).isEqualTo(ChainFailure.UNTRUSTED_ISSUER);
        }

        @Test
        void nothingTrustedAtAll() {
            assertThat(refused(validate(pki.chain(Name.LEAF), List.of())).failure())
                    .isEqualTo(ChainFailure.UNTRUSTED_ISSUER);
        }
    }

    @Nested
    class RefusesBadStructure {

        @Test
        void anEmptyChain() {
            assertThat(refused(validate(List.of(), trusting(Name.ROOT))).failure()).isEqualTo(ChainFailure.MALFORMED);
            assertThat(refused(validate(null, trusting(Name.ROOT))).failure()).isEqualTo(ChainFailure.MALFORMED);
        }

        @Test
        void aChainWithANullEntry() {
            List<X509Certificate> chain = new ArrayList<>(pki.chain(Name.LEAF));
            chain.add(null);

            assertThat(refused(validate(chain, trusting(Name.ROOT))).failure()).isEqualTo(ChainFailure.MALFORMED);
        }

        @Test
        void anAbsurdlyLongChain() {
            List<X509Certificate> chain = new ArrayList<>(pki.chain(Name.LEAF));
            chain.addAll(Collections.nCopies(ChainValidator.MAX_CHAIN_LENGTH, pki.certificate(Name.INTERMEDIATE)));

            assertThat(refused(validate(chain, trusting(Name.ROOT))).failure()).isEqualTo(ChainFailure.MALFORMED);
        }

        @Test
        void anIssuerThatIsNotACa() {
            CaMaterial notCa = OddCertificates.of("CN=Not A CA", pki.material(Name.ROOT), FROM, UNTIL).endEntity().issue();
            CaMaterial leaf = OddCertificates.of("CN=victim", notCa, FROM, UNTIL).issue();

            Refused refused = refused(validate(List.of(leaf.certificate(), notCa.certificate()), trusting(Name.ROOT)));

            assertThat(refused.failure()).isEqualTo(ChainFailure.NOT_A_CA);
            assertThat(refused.certificate()).isEqualTo(notCa.certificate());
        }

        @Test
        void anIssuerWithoutBasicConstraints() {
            CaMaterial v1Style = OddCertificates.of("CN=No Constraints", pki.material(Name.ROOT), FROM, UNTIL).issue();
            CaMaterial leaf = OddCertificates.of("CN=victim", v1Style, FROM, UNTIL).issue();

            assertThat(refused(validate(List.of(leaf.certificate(), v1Style.certificate()), trusting(Name.ROOT)))
                    .failure()).isEqualTo(ChainFailure.NOT_A_CA);
        }

        @Test
        void aTrustedCertificateThatIsNotACaCannotSign() {
            CaMaterial device = pki.material(Name.SELF_SIGNED);
            CaMaterial leaf = OddCertificates.of("CN=child", device, FROM, UNTIL).issue();

            assertThat(refused(validate(List.of(leaf.certificate()), trusting(Name.SELF_SIGNED))).failure())
                    .isEqualTo(ChainFailure.NOT_A_CA);
        }

        @Test
        void morePathThanTheRootAllows() {
            // The catalogue's intermediate has path length 0: no CA may follow it.
            CaMaterial below = OddCertificates.of("CN=Too Deep", pki.material(Name.INTERMEDIATE), FROM, UNTIL)
                    .ca(null).keyUsage(KeyUsage.keyCertSign).issue();
            CaMaterial leaf = CertificateBuilder.device("deep-device", below).clock(CLOCK).issue();

            Refused refused = refused(validate(List.of(leaf.certificate(), below.certificate(),
                    pki.certificate(Name.INTERMEDIATE)), trusting(Name.ROOT)));

            assertThat(refused.failure()).isEqualTo(ChainFailure.PATH_LENGTH_EXCEEDED);
            assertThat(refused.certificate()).isEqualTo(pki.certificate(Name.INTERMEDIATE));
        }

        @Test
        void theTrustedRootsPathLengthCountsToo() {
            CaMaterial root = CertificateBuilder.rootCa("Short Root").pathLength(0).clock(CLOCK).issue();
            CaMaterial middle = CertificateBuilder.intermediateCa("Middle", root).clock(CLOCK).issue();
            CaMaterial leaf = CertificateBuilder.device("d", middle).clock(CLOCK).issue();

            assertThat(refused(validator.validate(List.of(leaf.certificate(), middle.certificate()),
                    List.of(TrustedCa.of(root.certificate())), CLOCK)).failure())
                    .isEqualTo(ChainFailure.PATH_LENGTH_EXCEEDED);
        }

        @Test
        void aCaWithoutKeyCertSign() {
            CaMaterial ca = OddCertificates.of("CN=Signs Data Only", pki.material(Name.ROOT), FROM, UNTIL)
                    .ca(null).keyUsage(KeyUsage.digitalSignature).issue();
            CaMaterial leaf = OddCertificates.of("CN=victim", ca, FROM, UNTIL).issue();

            assertThat(refused(validate(List.of(leaf.certificate(), ca.certificate()), trusting(Name.ROOT))).failure())
                    .isEqualTo(ChainFailure.KEY_USAGE);
        }

        @Test
        void aLeafWithoutDigitalSignature() {
            CaMaterial leaf = OddCertificates.of("CN=encipher-only", pki.material(Name.INTERMEDIATE), FROM, UNTIL)
                    .endEntity().keyUsage(KeyUsage.keyEncipherment).issue();

            assertThat(refused(validate(List.of(leaf.certificate()), trusting(Name.INTERMEDIATE))).failure())
                    .isEqualTo(ChainFailure.KEY_USAGE);
        }

        @Test
        void aServerOnlyLeaf() {
            CaMaterial leaf = OddCertificates.of("CN=web-server", pki.material(Name.INTERMEDIATE), FROM, UNTIL)
                    .endEntity().extendedKeyUsage(KeyPurposeId.id_kp_serverAuth).issue();

            Refused refused = refused(validate(List.of(leaf.certificate()), trusting(Name.INTERMEDIATE)));

            assertThat(refused.failure()).isEqualTo(ChainFailure.EXTENDED_KEY_USAGE);
        }

        @Test
        void anIntermediateRestrictedToServers() {
            CaMaterial ca = OddCertificates.of("CN=Server CA", pki.material(Name.ROOT), FROM, UNTIL).ca(null)
                    .keyUsage(KeyUsage.keyCertSign).extendedKeyUsage(KeyPurposeId.id_kp_serverAuth).issue();
            CaMaterial leaf = CertificateBuilder.device("d", ca).clock(CLOCK).issue();

            assertThat(refused(validate(List.of(leaf.certificate(), ca.certificate()), trusting(Name.ROOT))).failure())
                    .isEqualTo(ChainFailure.EXTENDED_KEY_USAGE);
        }

        @Test
        void anUnknownCriticalExtension() {
            CaMaterial leaf = OddCertificates.of("CN=strange", pki.material(Name.INTERMEDIATE), FROM, UNTIL)
                    .criticalUnknown().issue();

            Refused refused = refused(validate(List.of(leaf.certificate()), trusting(Name.INTERMEDIATE)));

            assertThat(refused.failure()).isEqualTo(ChainFailure.UNSUPPORTED_CRITICAL_EXTENSION);
            assertThat(refused.detail()).contains("1.3.6.1.4.1.99999.1");
        }

        @Test
        void anExpiredIntermediate() {
            CaMaterial old = OddCertificates.of("CN=Old Intermediate", pki.material(Name.ROOT),
                    NOW.minus(Duration.ofDays(400)), NOW.minus(Duration.ofDays(1))).ca(null).issue();
            CaMaterial leaf = OddCertificates.of("CN=d", old, FROM, UNTIL).issue();

            Refused refused = refused(validate(List.of(leaf.certificate(), old.certificate()), trusting(Name.ROOT)));

            assertThat(refused.failure()).isEqualTo(ChainFailure.EXPIRED);
            assertThat(refused.certificate()).isEqualTo(old.certificate());
        }

        @Test
        void anExpiredTrustedRoot() {
            // Validated an hour after everything in the catalogue expired.
            Clock later = Clock.offset(CLOCK, Duration.ofDays(3651));

            assertThat(refused(validator.validate(pki.chain(Name.LEAF), trusting(Name.ROOT), later)).failure())
                    .isEqualTo(ChainFailure.EXPIRED);
        }

        @Test
        void validityFollowsTheInjectedClock() {
            Clock beforeIssue = Clock.offset(CLOCK, Duration.ofHours(-2));

            assertThat(refused(validator.validate(pki.chain(Name.LEAF), trusting(Name.ROOT), beforeIssue)).failure())
                    .isEqualTo(ChainFailure.NOT_YET_VALID);
            assertThat(validator.validate(pki.chain(Name.LEAF), trusting(Name.ROOT), Clock.offset(CLOCK, Duration.ofDays(300)))
                    .isTrusted()).isTrue();
        }
    }

    @Nested
    class Revocation {

        @Test
        void aStaleCrlRefusesEveryoneItCovers() {
            Clock afterNextUpdate = Clock.offset(CLOCK, Duration.ofDays(8));

            Refused refused = refused(validator.validate(pki.chain(Name.LEAF), List.of(pki.trustedIntermediate()),
                    afterNextUpdate));

            assertThat(refused.failure()).isEqualTo(ChainFailure.CRL_EXPIRED);
        }

        @Test
        void aRevokedIntermediateOnTheRootsCrl() {
            var rootCrl = CrlIssuer.issue(pki.material(Name.ROOT), List.of(pki.certificate(Name.INTERMEDIATE)),
                    NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(1)));

            Refused refused = refused(validate(pki.chain(Name.LEAF), List.of(pki.trustedRoot().withCrl(rootCrl))));

            assertThat(refused.failure()).isEqualTo(ChainFailure.REVOKED);
            assertThat(refused.certificate()).isEqualTo(pki.certificate(Name.INTERMEDIATE));
        }

        @Test
        void aGivenCrlOfAnIntermediateBelowTheAnchorRevokesItsLeaf() {
            Refused refused = refused(validator.validate(pki.chain(Name.REVOKED), trusting(Name.ROOT),
                    List.of(pki.intermediateCrl()), CLOCK));

            assertThat(refused.failure()).isEqualTo(ChainFailure.REVOKED);
            assertThat(refused.detail()).contains("revoked by CA CN=Onramp Test Intermediate at");
            assertThat(validator.validate(pki.chain(Name.LEAF), trusting(Name.ROOT), List.of(pki.intermediateCrl()), CLOCK)
                    .isTrusted()).isTrue();
        }

        @Test
        void aGivenCrlOfTheAnchorRevokesWhatTheAnchorSigned() {
            var rootCrl = CrlIssuer.issue(pki.material(Name.ROOT), List.of(pki.certificate(Name.INTERMEDIATE)),
                    NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(1)));

            Refused refused = refused(validator.validate(pki.chain(Name.LEAF), trusting(Name.ROOT), List.of(rootCrl), CLOCK));

            assertThat(refused.certificate()).isEqualTo(pki.certificate(Name.INTERMEDIATE));
        }

        @Test
        void aStaleGivenCrlRefusesWhatItCovers() {
            Refused refused = refused(validator.validate(pki.chain(Name.LEAF), trusting(Name.ROOT),
                    List.of(pki.intermediateCrl()), Clock.offset(CLOCK, Duration.ofDays(8))));

            assertThat(refused.failure()).isEqualTo(ChainFailure.CRL_EXPIRED);
        }

        @Test
        void aGivenCrlWithTheIntermediatesNameButAnotherSignatureIsNotApplied() {
            CaMaterial impostor = CertificateBuilder.rootCa("Onramp Test Intermediate").clock(CLOCK).issue();
            var forged = CrlIssuer.issue(impostor, List.of(), NOW.minus(Duration.ofDays(30)), NOW.minus(Duration.ofDays(1)));

            // Stale, so it would refuse the leaf if it were applied to the real intermediate's certificates.
            assertThat(validator.validate(pki.chain(Name.LEAF), trusting(Name.ROOT), List.of(forged), CLOCK).isTrusted())
                    .isTrue();
            assertThat(Crls.isIssuedBy(forged, pki.certificate(Name.INTERMEDIATE))).isFalse();
            assertThat(Crls.isIssuedBy(forged, impostor.certificate())).isTrue();
            assertThat(Crls.isIssuedBy(pki.intermediateCrl(), pki.certificate(Name.ROOT))).isFalse();
        }

        @Test
        void aCrlFromAnotherCaIsRefusedWhenConfigured() {
            TrustedCa root = pki.trustedRoot();

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> root.withCrl(pki.intermediateCrl()))
                    .isInstanceOf(CertsException.class)
                    .extracting(e -> ((CertsException) e).reason()).isEqualTo(CertsException.Reason.UNTRUSTED);
        }

        @Test
        void aCrlWithTheRightNameButAnotherSignatureIsRefusedWhenConfigured() {
            CaMaterial impostor = CertificateBuilder.rootCa("Onramp Test Intermediate").clock(CLOCK).issue();
            var forged = CrlIssuer.issue(impostor, List.of(), NOW, NOW.plus(Duration.ofDays(1)));

            org.assertj.core.api.Assertions.assertThatThrownBy(
                    () -> TrustedCa.of(pki.certificate(Name.INTERMEDIATE)).withCrl(forged))
                    .isInstanceOf(CertsException.class)
                    .extracting(e -> ((CertsException) e).reason()).isEqualTo(CertsException.Reason.BAD_SIGNATURE);
        }
    }

    @Nested
    class Verdicts {

        @Test
        void everyRefusalHasTheSamePublicMessageAndADetailedLogLine() {
            Refused refused = refused(validate(pki.chain(Name.EXPIRED), trusting(Name.ROOT)));

            assertThat(ChainValidationResult.PUBLIC_MESSAGE).isEqualTo("Unauthorized");
            assertThat(refused.logMessage()).startsWith("EXPIRED: CN=sensor-0042");
            assertThat(refused.toException().reason()).isEqualTo(CertsException.Reason.EXPIRED);
            assertThat(refused.toException().getMessage()).isEqualTo(refused.logMessage());
        }

        @Test
        void failuresMapToCertsReasons() {
            assertThat(ChainFailure.REVOKED.reason()).isEqualTo(CertsException.Reason.REVOKED);
            assertThat(ChainFailure.BAD_SIGNATURE.reason()).isEqualTo(CertsException.Reason.BAD_SIGNATURE);
            assertThat(ChainFailure.UNTRUSTED_ISSUER.reason()).isEqualTo(CertsException.Reason.UNTRUSTED);
            assertThat(ChainFailure.NOT_YET_VALID.reason()).isEqualTo(CertsException.Reason.EXPIRED);
            assertThat(ChainFailure.MALFORMED.reason()).isEqualTo(CertsException.Reason.MALFORMED);
        }

        @Test
        void intermediateSignaturesAreCachedButLeavesAreNot() {
            ChainValidator cached = ChainValidator.create();
            for (int i = 0; i < 3; i++) {
                CaMaterial device = CertificateBuilder.device("d" + i, pki.material(Name.INTERMEDIATE)).clock(CLOCK).issue();
                assertThat(cached.validate(List.of(device.certificate(), pki.certificate(Name.INTERMEDIATE)),
                        trusting(Name.ROOT), CLOCK).isTrusted()).isTrue();
            }

            assertThat(cached.cachedSignatures()).isEqualTo(1);
            assertThat(ChainValidator.withoutCache().cachedSignatures()).isZero();
        }

        @Test
        void aCachedIntermediateIsStillCheckedForValidity() {
            ChainValidator cached = ChainValidator.create();
            assertThat(cached.validate(pki.chain(Name.LEAF), trusting(Name.ROOT), CLOCK).isTrusted()).isTrue();

            assertThat(cached.validate(pki.chain(Name.LEAF), trusting(Name.ROOT), Clock.offset(CLOCK, Duration.ofDays(3651)))
                    .isTrusted()).isFalse();
        }
    }
}
