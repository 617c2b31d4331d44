package io.onramp.gateway.store;

import io.onramp.certs.x509.ProofOfPossession;
import io.onramp.certs.x509.TrustedCa;
import io.onramp.gateway.cacert.CaCertificate;
import io.onramp.gateway.cacert.CaCertificateNames;
import io.onramp.gateway.cacert.CaRevocationLists;
import io.onramp.gateway.cacert.CaTrust;
import io.onramp.gateway.config.ConfigLoader;
import io.onramp.gateway.config.GatewayConfig.CaCertificateConfig;
import io.onramp.gateway.enrollment.EnrollmentCertificates;
import io.onramp.gateway.error.ErrorCode;
import io.onramp.gateway.error.ProvisioningException;
import io.onramp.policy.enrollment.Enrollment;
import io.onramp.policy.enrollment.EnrollmentGroup;
import io.onramp.policy.enrollment.EnrollmentSource;
import io.onramp.policy.enrollment.X509Attestation;
import io.vertx.core.Future;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CA certificates of dps-service-api §11 in the JDBC store, with their proof-of-possession
 * state. Every change is checked against the stored row in the same transaction (etag, config
 * ownership, the limit of 25, the outstanding code). Attestation reads a snapshot in memory,
 * refreshed after each change before the change is acknowledged, so that a CA verified or deleted
 * is seen by the next registration. Config-file certificates are written through on start-up.
 */
public final class JdbcCaCertificateStore implements CaTrust {

    private static final Logger LOG = LoggerFactory.getLogger(JdbcCaCertificateStore.class);
    private static final Logger AUDIT = LoggerFactory.getLogger("audit.certificates");
    /** How long a verification code is accepted (spec 11.3 [D]). */
    public static final Duration CODE_LIFETIME = Duration.ofHours(1);
    private static final String COLUMNS = "name, source, etag, certificate, verified, verification_code, code_expires_ms,"
            + " created_ms, updated_ms";

    private record Snapshot(long version, Map<String, CaCertificate> byKey, Map<String, TrustedCa> anchors) {}

    private final Database database;
    private final Clock clock;
    private final CaRevocationLists crls;
    private volatile Snapshot snapshot = new Snapshot(0, Map.of(), Map.of());
    private long refreshesStarted;
    private long refreshApplied;

    public JdbcCaCertificateStore(Database database, Clock clock, CaRevocationLists crls) {
        this.database = database;
        this.clock = clock;
        this.crls = crls;
    }

    /** Replaces the config-file certificates with the current file's, then loads the snapshot, and says how many there are. */
    public Future<Void> start(List<CaCertificateConfig> configured) {
        return syncConfig(configured).onSuccess(v -> LOG.info("CA certificates: {} ({} verified)", snapshot.byKey().size(),
                snapshot.anchors().size()));
    }

    /**
     * Replaces the config-file certificates (and their CRLs) with the current file's, then loads the snapshot: at
     * start, and when the config file changes under a running gateway.
     */
    public Future<Void> syncConfig(List<CaCertificateConfig> configured) {
        crls.use(configured);
        return database.write(c -> {
                    syncConfig(c, configured);
                    return null;
                })
                .compose(v -> refresh());
    }

    // ---- what attestation reads (memory only) ----

    @Override
    public Optional<TrustedCa> verified(String name) {
        return name == null ? Optional.empty() : Optional.ofNullable(snapshot.anchors().get(CaCertificateNames.key(name)));
    }

    @Override
    public Collection<TrustedCa> allVerified() {
        return snapshot.anchors().values();
    }

    @Override
    public Optional<X509CRL> crl(X509Certificate certificate) {
        for (CaCertificate ca : snapshot.byKey().values()) {
            if (ca.certificate().equals(certificate)) {
                return crls.crl(ca.name());
            }
        }
        return Optional.empty();
    }

    @Override
    public long version() {
        return snapshot.version();
    }

    /** The registered certificate of this name, verified or not (for checking a group's references). */
    public Optional<CaCertificate> registered(String name) {
        return Optional.ofNullable(snapshot.byKey().get(CaCertificateNames.key(name)));
    }

    /**
     * Refuses (400) an X.509 group whose caReferences name a CA certificate that is not registered
     * or not verified (dps-service-api §6, §11.3). Run before an API write of an enrollment.
     */
    public void requireUsableReferences(Enrollment enrollment) {
        if (!(enrollment.attestation() instanceof X509Attestation x509) || x509.kind() != X509Attestation.Kind.CA_REFERENCES) {
            return;
        }
        for (String slot : new String[] {"primary", "secondary"}) {
            String name = slot.equals("primary") ? x509.primary() : x509.secondary();
            if (name == null) {
                continue;
            }
            String field = "attestation.x509.caReferences." + slot;
            CaCertificate ca = registered(name).orElseThrow(() -> ProvisioningException.badRequest(
                    "Invalid enrollment group: " + field + ": no CA certificate is named '" + name + "'."));
            if (!ca.verified()) {
                throw ProvisioningException.badRequest("Invalid enrollment group: " + field + ": CA certificate '" + name
                        + "' is not verified; prove possession of its key first.");
            }
        }
    }

    /**
     * Logs each group whose caReferences cannot be used now (a config-file group is not checked at
     * load, since it may name a certificate uploaded through the API): its devices are refused.
     */
    public void warnAboutUnusableReferences(List<EnrollmentGroup> groups) {
        for (EnrollmentGroup group : groups) {
            try {
                requireUsableReferences(group);
            } catch (ProvisioningException e) {
                LOG.warn("enrollment group {} admits no device until this is fixed: {}", group.enrollmentGroupId(),
                        e.publicMessage());
            }
        }
    }

    /** Re-reads changed CRL files (blocking) and, if any changed, rebuilds the anchors. */
    public void reloadCrls() {
        if (crls.reloadChanged()) {
            synchronized (this) {
                snapshot = snapshot(snapshot.version() + 1, snapshot.byKey());
            }
        }
    }

    // ---- the admin API's operations ----

    public Future<List<CaCertificate>> list() {
        return database.read(c -> {
            List<CaCertificate> all = new ArrayList<>();
            try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM ca_certificates ORDER BY name_key");
                    ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    all.add(row(rs));
                }
            }
            return all;
        });
    }

    public Future<CaCertificate> find(String name) {
        return database.read(c -> select(c, name).orElseThrow(() -> notFound(name)));
    }

    /**
     * Creates or replaces a certificate. New content clears the verification (and any outstanding
     * code) unless {@code verifiedOnUpload}; the same content keeps it (spec 11.3 step 5).
     */
    public Future<CaCertificate> put(String name, X509Certificate certificate, boolean verifiedOnUpload, String ifMatch) {
        return put(name, certificate, verifiedOnUpload, ifMatch, null);
    }

    /**
     * As {@link #put(String, X509Certificate, boolean, String)}; with {@code createOnly} (the ids of the groups
     * naming {@code name}, for {@code If-None-Match: *}), an existing certificate is refused with 412 rather than
     * replaced, decided in the same transaction as the write: a replaced verified CA takes its groups' devices off.
     */
    public Future<CaCertificate> put(String name, X509Certificate certificate, boolean verifiedOnUpload, String ifMatch,
            Supplier<List<String>> createOnly) {
        return change(c -> {
            Optional<CaCertificate> existing = select(c, name);
            Instant now = now();
            if (existing.isPresent() && createOnly != null) {
                throw alreadyExists(existing.get(), createOnly.get());
            }
            if (existing.isEmpty()) {
                if (ifMatch != null && !ifMatch.isBlank()) {
                    throw etagMismatch(name);
                }
                if (count(c) >= ConfigLoader.MAX_CA_CERTIFICATES) {
                    throw new ProvisioningException(ErrorCode.QUOTA_EXCEEDED, "At most "
                            + ConfigLoader.MAX_CA_CERTIFICATES + " CA certificates may be registered.");
                }
                return upsert(c, new CaCertificate(name, EnrollmentSource.API, certificate, verifiedOnUpload,
                        Etags.next(), now, now, null, null));
            }
            CaCertificate old = current(apiOwned(existing.get()), ifMatch);
            boolean same = old.certificate().equals(certificate);
            return upsert(c, new CaCertificate(old.name(), EnrollmentSource.API, certificate,
                    verifiedOnUpload || (same && old.verified()), Etags.next(), old.created(), now,
                    same ? old.verificationCode() : null, same ? old.codeExpires() : null));
        }, "uploaded");
    }

    /**
     * Deletes a certificate; refused (409) while an enrollment group names it.
     *
     * @param referencingGroups the ids of the groups whose caReferences name {@code name}
     */
    public Future<CaCertificate> delete(String name, String ifMatch, Supplier<List<String>> referencingGroups) {
        return change(c -> {
            CaCertificate old = current(apiOwned(select(c, name).orElseThrow(() -> notFound(name))), ifMatch);
            List<String> groups = referencingGroups.get();
            if (!groups.isEmpty()) {
                throw new ProvisioningException(ErrorCode.CA_CERTIFICATE_CONFLICT, "CA certificate " + name
                        + " is referenced by enrollment group(s) " + String.join(", ", groups) + ".");
            }
            try (PreparedStatement s = c.prepareStatement("DELETE FROM ca_certificates WHERE name_key = ?")) {
                s.setString(1, CaCertificateNames.key(name));
                s.executeUpdate();
            }
            return old;
        }, "deleted");
    }

    /** Issues a fresh verification code, valid for {@link #CODE_LIFETIME}; any earlier code stops working. */
    public Future<CaCertificate> generateVerificationCode(String name, String ifMatch) {
        return change(c -> {
            CaCertificate old = current(select(c, name).orElseThrow(() -> notFound(name)), requireIfMatch(ifMatch));
            Instant now = now();
            return upsert(c, new CaCertificate(old.name(), old.source(), old.certificate(), old.verified(), Etags.next(),
                    old.created(), now, ProofOfPossession.newVerificationCode(), now.plus(CODE_LIFETIME)));
        }, "given a new verification code");
    }

    /**
     * Checks a verification certificate against the outstanding code (spec 11.3 step 4). Success
     * marks the CA verified and uses the code up; a refusal (400) changes nothing, so the code
     * stays usable until it expires.
     */
    public Future<CaCertificate> verify(String name, String ifMatch, X509Certificate verificationCertificate) {
        return change(c -> {
            CaCertificate old = current(select(c, name).orElseThrow(() -> notFound(name)), requireIfMatch(ifMatch));
            Instant now = now();
            if (!old.codeUsableAt(now)) {
                throw ProvisioningException.badRequest(old.verificationCode() == null
                        ? "No verification code is outstanding for " + name + "; generate one first."
                        : "The verification code of " + name + " has expired; generate a new one.");
            }
            // One signature check, on the store's writer thread: it must see the code it checks consumed atomically.
            ProofOfPossession.Verdict verdict = ProofOfPossession.verify(old.certificate(), verificationCertificate,
                    old.verificationCode(), Clock.fixed(now, clock.getZone()));
            if (!verdict.verified()) {
                throw ProvisioningException.badRequest("The verification certificate is refused: " + verdict.detail() + ".");
            }
            return upsert(c, new CaCertificate(old.name(), old.source(), old.certificate(), true, Etags.next(),
                    old.created(), now, null, null));
        }, "verified");
    }

    // ---- internals ----

    private Future<CaCertificate> change(SqlWork<CaCertificate> change, String what) {
        return database.write(change)
                .compose(saved -> refresh().map(saved))
                .onSuccess(saved -> AUDIT.info("CA certificate {} {} (verified={}, sha1 {})", saved.name(), what,
                        saved.verified(), EnrollmentCertificates.info(saved.certificate()).getString("sha1Thumbprint")));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * The content of a config-file certificate is the file's: the API may not replace or delete it.
     * Its proof of possession is the API's, so a CA the file does not vouch for can still be proven.
     */
    private static CaCertificate apiOwned(CaCertificate existing) {
        if (existing.source() == EnrollmentSource.CONFIG) {
            throw new ProvisioningException(ErrorCode.CA_CERTIFICATE_CONFLICT, "CA certificate " + existing.name()
                    + " is managed by the config file the gateway was started with and is read-only through the API;"
                    + " change it in that file.");
        }
        return existing;
    }

    private static CaCertificate current(CaCertificate existing, String ifMatch) {
        if (!Etags.matchesStrongly(existing.etag(), ifMatch)) {
            throw etagMismatch(existing.name());
        }
        return existing;
    }

    /** The verification calls name the version they act on (ARM requires If-Match there, spec 11.1). */
    private static String requireIfMatch(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank()) {
            throw ProvisioningException.badRequest("If-Match with the CA certificate's etag is required.");
        }
        return ifMatch;
    }

    private static ProvisioningException notFound(String name) {
        return new ProvisioningException(ErrorCode.CA_CERTIFICATE_NOT_FOUND, "CA certificate " + name + " was not found.");
    }

    /** "CA certificate line-7 already exists (verified, CN=Line 7; named by enrollment group(s) line-7-devices)." */
    private static ProvisioningException alreadyExists(CaCertificate existing, List<String> groups) {
        return new ProvisioningException(ErrorCode.PRECONDITION_FAILED, "CA certificate " + existing.name()
                + " already exists (" + (existing.verified() ? "verified" : "not verified") + ", "
                + existing.certificate().getSubjectX500Principal().getName()
                + (existing.source() == EnrollmentSource.CONFIG ? ", from the config file" : "")
                + (groups.isEmpty() ? "; named by no enrollment group" : "; named by enrollment group(s) " + String.join(", ", groups))
                + ").");
    }

    private static ProvisioningException etagMismatch(String name) {
        return new ProvisioningException(ErrorCode.PRECONDITION_FAILED,
                "The etag does not match the current version of CA certificate " + name + ".");
    }

    /** Reloads the snapshot; only the latest-started refresh is applied, as in the enrollment store. */
    private Future<Void> refresh() {
        long ticket;
        synchronized (this) {
            ticket = ++refreshesStarted;
        }
        return list().map(all -> {
            Map<String, CaCertificate> byKey = new HashMap<>();
            all.forEach(ca -> byKey.put(CaCertificateNames.key(ca.name()), ca));
            synchronized (this) {
                if (ticket > refreshApplied) {
                    refreshApplied = ticket;
                    snapshot = snapshot(snapshot.version() + 1, byKey);
                }
            }
            return null;
        });
    }

    /** The anchors are built once per snapshot: a TrustedCa with a CRL checks the CRL's signature when made. */
    private Snapshot snapshot(long version, Map<String, CaCertificate> byKey) {
        Map<String, TrustedCa> anchors = new HashMap<>();
        byKey.forEach((key, ca) -> {
            if (ca.verified()) {
                anchors.put(key, new TrustedCa(ca.certificate(), crls.crl(ca.name()).orElse(null), ca.name()));
            }
        });
        return new Snapshot(version, Map.copyOf(byKey), Map.copyOf(anchors));
    }

    /**
     * Writes the file's certificates over the stored ones. A certificate proven through the API
     * stays verified while the file keeps the same content under its name.
     */
    private static void syncConfig(Connection c, List<CaCertificateConfig> configured) throws SQLException {
        Map<String, CaCertificate> before = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM ca_certificates WHERE source = 'CONFIG'");
                ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                CaCertificate ca = row(rs);
                before.put(CaCertificateNames.key(ca.name()), ca);
            }
        }
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM ca_certificates WHERE source = 'CONFIG'")) {
            delete.executeUpdate();
        }
        // A config certificate replaces an API one of the same name: the file is the operator's word.
        for (CaCertificateConfig ca : configured) {
            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            CaCertificate previous = before.get(CaCertificateNames.key(ca.name()));
            boolean same = previous != null && previous.certificate().equals(ca.certificate());
            boolean verified = ca.verified() || (same && previous.verified());
            // Unchanged, it keeps its etag: a restart or a reload of the file is no change to the API's clients.
            boolean unchanged = same && verified == previous.verified();
            upsert(c, new CaCertificate(ca.name(), EnrollmentSource.CONFIG, ca.certificate(), verified,
                    unchanged ? previous.etag() : Etags.next(), same ? previous.created() : now,
                    unchanged ? previous.updated() : now, same ? previous.verificationCode() : null,
                    same ? previous.codeExpires() : null));
        }
    }

    private static int count(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT COUNT(*) FROM ca_certificates"); ResultSet rs = s.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static Optional<CaCertificate> select(Connection c, String name) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + COLUMNS + " FROM ca_certificates WHERE name_key = ?")) {
            s.setString(1, CaCertificateNames.key(name));
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    private static CaCertificate row(ResultSet rs) throws SQLException {
        long expires = rs.getLong(7);
        Instant codeExpires = rs.wasNull() ? null : Instant.ofEpochMilli(expires);
        return new CaCertificate(rs.getString(1), EnrollmentSource.valueOf(rs.getString(2)),
                EnrollmentCertificates.parse(rs.getString(4)), rs.getBoolean(5), rs.getString(3),
                Instant.ofEpochMilli(rs.getLong(8)), Instant.ofEpochMilli(rs.getLong(9)), rs.getString(6), codeExpires);
    }

    private static CaCertificate upsert(Connection c, CaCertificate ca) throws SQLException {
        try (PreparedStatement merge = c.prepareStatement("MERGE INTO ca_certificates (name_key, " + COLUMNS
                + ") KEY (name_key) VALUES (?,?,?,?,?,?,?,?,?,?)")) {
            merge.setString(1, CaCertificateNames.key(ca.name()));
            merge.setString(2, ca.name());
            merge.setString(3, ca.source().name());
            merge.setString(4, ca.etag());
            merge.setString(5, Base64.getEncoder().encodeToString(der(ca.certificate())));
            merge.setBoolean(6, ca.verified());
            merge.setString(7, ca.verificationCode());
            if (ca.codeExpires() == null) {
                merge.setNull(8, Types.BIGINT);
            } else {
                merge.setLong(8, ca.codeExpires().toEpochMilli());
            }
            merge.setLong(9, ca.created().toEpochMilli());
            merge.setLong(10, ca.updated().toEpochMilli());
            merge.executeUpdate();
        }
        return ca;
    }

    private static byte[] der(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("certificate cannot be re-encoded", e);
        }
    }
}
