package io.onramp.certs.ca;

import io.onramp.certs.pem.PemWriter;
import io.onramp.certs.x509.TrustedCa;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A named set of X.509 test material, generated fresh on every {@link Builder#build()}: a good
 * chain and one certificate for each way a device certificate can be wrong. Meant for tests in
 * every module (test-jars are not shared here) and for {@code onramp certs demo}; nothing in it
 * is fit for production, and nothing is ever checked in.
 *
 * <pre>
 * ROOT ── INTERMEDIATE ─┬─ LEAF, WRONG_CN, EXPIRED, NOT_YET_VALID, REVOKED (on INTERMEDIATE's CRL)
 * OTHER_ROOT ───────────┴─ OTHER_CA_LEAF     (CN = device id, but nobody trusts this root)
 * UNPROVEN_ROOT ────────── UNPROVEN_CA_LEAF  (a CA uploaded without proof of possession)
 * SELF_SIGNED                                (an individual enrollment's own certificate)
 * </pre>
 *
 * Every device certificate's CN is {@link #deviceId()} except WRONG_CN's. Thread-safe once built.
 */
public final class PkiCatalogue {

    /** The entries; device entries are presented with {@link #chain(Name)}. */
    public enum Name {
        ROOT, INTERMEDIATE, LEAF, EXPIRED, NOT_YET_VALID, REVOKED, WRONG_CN,
        OTHER_ROOT, OTHER_CA_LEAF, UNPROVEN_ROOT, UNPROVEN_CA_LEAF, SELF_SIGNED;

        /** The file name stem used by {@link #writeTo(Path)}: {@code not-yet-valid}. */
        public String fileStem() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        boolean isCa() {
            return this == ROOT || this == INTERMEDIATE || this == OTHER_ROOT || this == UNPROVEN_ROOT;
        }
    }

    public static final String DEFAULT_DEVICE_ID = "catalogue-device-01";

    private final String deviceId;
    private final Clock clock;
    private final Map<Name, CaMaterial> material;
    private final X509CRL intermediateCrl;

    private PkiCatalogue(Builder builder) {
        this.deviceId = builder.deviceId;
        this.clock = builder.clock;
        Instant now = clock.instant();
        KeyAlgorithm keys = builder.keyAlgorithm;
        Map<Name, CaMaterial> m = new EnumMap<>(Name.class);
        CaMaterial root = CertificateBuilder.rootCa("Onramp Test Root").clock(clock).keyAlgorithm(keys).issue();
        CaMaterial intermediate = CertificateBuilder.intermediateCa("Onramp Test Intermediate", root)
                .pathLength(0).clock(clock).keyAlgorithm(keys).issue();
        m.put(Name.ROOT, root);
        m.put(Name.INTERMEDIATE, intermediate);
        m.put(Name.LEAF, device(deviceId, intermediate, keys).issue());
        m.put(Name.WRONG_CN, device("not-" + deviceId, intermediate, keys).issue());
        m.put(Name.EXPIRED, device(deviceId, intermediate, keys)
                .validBetween(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1))).issue());
        m.put(Name.NOT_YET_VALID, device(deviceId, intermediate, keys)
                .validBetween(now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(30))).issue());
        m.put(Name.REVOKED, device(deviceId, intermediate, keys).issue());
        CaMaterial otherRoot = CertificateBuilder.rootCa("Onramp Other Root").clock(clock).keyAlgorithm(keys).issue();
        m.put(Name.OTHER_ROOT, otherRoot);
        m.put(Name.OTHER_CA_LEAF, device(deviceId, otherRoot, keys).issue());
        CaMaterial unproven = CertificateBuilder.rootCa("Onramp Unproven Root").clock(clock).keyAlgorithm(keys).issue();
        m.put(Name.UNPROVEN_ROOT, unproven);
        m.put(Name.UNPROVEN_CA_LEAF, device(deviceId, unproven, keys).issue());
        m.put(Name.SELF_SIGNED, CertificateBuilder.selfSignedDevice(deviceId).clock(clock).keyAlgorithm(keys).issue());
        this.material = Map.copyOf(m);
        this.intermediateCrl = CrlIssuer.issue(intermediate, List.of(m.get(Name.REVOKED).certificate()),
                now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(7)));
    }

    private CertificateBuilder device(String cn, CaMaterial issuer, KeyAlgorithm keys) {
        return CertificateBuilder.device(cn, issuer).clock(clock).keyAlgorithm(keys);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The catalogue with defaults: EC P-256, the system clock, {@link #DEFAULT_DEVICE_ID}. */
    public static PkiCatalogue create() {
        return builder().build();
    }

    /** The registration ID every device certificate but WRONG_CN carries as its CN. */
    public String deviceId() {
        return deviceId;
    }

    public CaMaterial material(Name name) {
        return material.get(name);
    }

    public X509Certificate certificate(Name name) {
        return material(name).certificate();
    }

    /**
     * What a device sends: the leaf, then its intermediates up to (not including) the root. A root
     * or the self-signed device sends just itself.
     */
    public List<X509Certificate> chain(Name name) {
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(certificate(name));
        if (certificate(name).getIssuerX500Principal().equals(certificate(Name.INTERMEDIATE).getSubjectX500Principal())
                && name != Name.INTERMEDIATE) {
            chain.add(certificate(Name.INTERMEDIATE));
        }
        return List.copyOf(chain);
    }

    /** INTERMEDIATE's CRL: lists REVOKED only, current for a week from the build. */
    public X509CRL intermediateCrl() {
        return intermediateCrl;
    }

    /** The root as an enrollment group's signing certificate. */
    public TrustedCa trustedRoot() {
        return TrustedCa.of(certificate(Name.ROOT)).withLabel("catalogue-root");
    }

    /** The intermediate with its CRL, as a group's signing certificate. */
    public TrustedCa trustedIntermediate() {
        return TrustedCa.of(certificate(Name.INTERMEDIATE)).withLabel("catalogue-intermediate").withCrl(intermediateCrl);
    }

    /** A proof-of-possession certificate for {@code ca} (e.g. UNPROVEN_ROOT) carrying {@code code}. */
    public X509Certificate verificationCertificate(Name ca, String code) {
        if (!ca.isCa()) {
            throw new IllegalArgumentException(ca + " is not a CA");
        }
        return CertificateBuilder.verification(code, material(ca)).clock(clock).issue().certificate();
    }

    /**
     * The files {@link #writeTo(Path)} writes into {@code dir}, in that order: so a caller can
     * refuse to replace existing ones before anything is written.
     */
    public List<Path> files(Path dir) {
        return pemFiles().keySet().stream().map(dir::resolve).toList();
    }

    /**
     * Writes every entry as {@code <stem>.cert.pem} and {@code <stem>.key.pem} (PKCS#8), device
     * entries also as {@code <stem>.chain.pem}, and {@code intermediate.crl.pem}; replaces files of
     * those names. Returns the files.
     */
    public List<Path> writeTo(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        List<Path> written = new ArrayList<>();
        pemFiles().forEach((name, pem) -> {
            Path file = dir.resolve(name);
            PemWriter.write(file, pem.text(), pem.secret());
            written.add(file);
        });
        return written;
    }

    private record Pem(String text, boolean secret) {
    }

    /** File name to content: the one place that names the catalogue's files. */
    private Map<String, Pem> pemFiles() {
        Map<String, Pem> files = new LinkedHashMap<>();
        for (Name name : Name.values()) {
            CaMaterial entry = material(name);
            files.put(name.fileStem() + ".cert.pem", new Pem(PemWriter.toPem(entry.certificate()), false));
            files.put(name.fileStem() + ".key.pem", new Pem(PemWriter.toPem(entry.privateKey()), true));
            if (!name.isCa()) {
                files.put(name.fileStem() + ".chain.pem",
                        new Pem(PemWriter.toPem(chain(name).toArray(X509Certificate[]::new)), false));
            }
        }
        files.put("intermediate.crl.pem", new Pem(PemWriter.toPem(intermediateCrl), false));
        return files;
    }

    /** Options for {@link PkiCatalogue}. */
    public static final class Builder {

        private String deviceId = DEFAULT_DEVICE_ID;
        private Clock clock = Clock.systemUTC();
        private KeyAlgorithm keyAlgorithm = KeyAlgorithm.DEFAULT;

        private Builder() {
        }

        public Builder deviceId(String deviceId) {
            if (deviceId == null || deviceId.isBlank()) {
                throw new IllegalArgumentException("device id must not be blank");
            }
            this.deviceId = deviceId;
            return this;
        }

        /** "Now" for every validity window, so a test can build a catalogue in its own time. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder keyAlgorithm(KeyAlgorithm keyAlgorithm) {
            this.keyAlgorithm = Objects.requireNonNull(keyAlgorithm, "keyAlgorithm");
            return this;
        }

        public PkiCatalogue build() {
            return new PkiCatalogue(this);
        }
    }
}
