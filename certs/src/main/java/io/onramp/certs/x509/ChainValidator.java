package io.onramp.certs.x509;

import io.onramp.certs.x509.ChainValidationResult.Refused;
import io.onramp.certs.x509.ChainValidationResult.Trusted;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Validates the chain a device presented (leaf first, then the intermediates it was given, in
 * any order, optionally the root) against trusted certificates, the X.509 rules of
 * dps-device-protocol §11 and hub-device-protocol §2.3:
 *
 * <ol>
 *   <li>path building: from the leaf, each issuer is a trusted certificate if one has the right
 *       name and key, else a presented one; the path ends at the first trusted certificate (a
 *       leaf that is itself trusted, as in an individual enrollment, is a path of one);</li>
 *   <li>every certificate in the path, the trusted one included, is within its validity at
 *       {@code clock}, and has no critical extension we do not enforce;</li>
 *   <li>every issuer is a CA (basicConstraints), within its path length, with keyCertSign when
 *       keyUsage is present; the leaf has digitalSignature when keyUsage is present; any
 *       extendedKeyUsage in the path allows clientAuth;</li>
 *   <li>no certificate is on the CRL configured for its issuer (with the trusted CA, or among the
 *       CRLs given for any CA in the path), and that CRL is current.</li>
 * </ol>
 *
 * Synchronous, no I/O, thread-safe. Signature checks make it CPU-heavy (ECDSA in the JDK is slow),
 * so event-loop callers wrap it in {@code executeBlocking}. Signatures of intermediates are cached,
 * so a device of a known group costs one signature check, its leaf's (ECDSA through BouncyCastle's
 * fixed-curve code with the issuer key decoded once: about ten times the JDK's rate).
 */
public final class ChainValidator {

    /** A real device chain is 2–4 certificates; more is an attempt to make us work. */
    public static final int MAX_CHAIN_LENGTH = 10;
    static final int DEFAULT_CACHE_CAPACITY = 1024;

    static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    static final String ANY_EXTENDED_KEY_USAGE = "2.5.29.37.0";
    private static final int DIGITAL_SIGNATURE = 0;
    private static final int KEY_CERT_SIGN = 5;
    /** Extensions this class enforces, or may safely ignore when critical. Name constraints are not here. */
    private static final Set<String> UNDERSTOOD_CRITICAL = Set.of(
            "2.5.29.19", // basicConstraints
            "2.5.29.15", // keyUsage
            "2.5.29.37", // extendedKeyUsage
            "2.5.29.17", // subjectAltName (an empty subject makes it critical, RFC 5280 §4.2.1.6)
            "2.5.29.14", // subjectKeyIdentifier
            "2.5.29.35", // authorityKeyIdentifier
            "2.5.29.32"); // certificatePolicies: we require no particular policy

    private final SignatureCache signatures;

    private ChainValidator(int cacheCapacity) {
        this.signatures = new SignatureCache(cacheCapacity);
    }

    /** A validator with a cache of verified intermediate signatures; share one per process. */
    public static ChainValidator create() {
        return new ChainValidator(DEFAULT_CACHE_CAPACITY);
    }

    /** Every signature checked every time (for benchmarks and tests). */
    public static ChainValidator withoutCache() {
        return new ChainValidator(0);
    }

    /**
     * @param presented the device's certificates, leaf first (as TLS delivers them)
     * @param trusted the certificates the chain may end at, with their CRLs
     * @return {@link Trusted} with the path, or {@link Refused} with the cause; never throws for bad input
     */
    public ChainValidationResult validate(List<X509Certificate> presented, Collection<TrustedCa> trusted,
            Clock clock) {
        return validate(presented, trusted, List.of(), clock);
    }

    /**
     * As {@link #validate(List, Collection, Clock)}, with CRLs of any CA in the path, not only of the
     * anchor: each applies to the certificates signed by the path's CA whose name is the CRL's issuer
     * and whose key signed the CRL. A CRL that matches no CA in the path is not used (see
     * {@link Crls#isIssuedBy}).
     */
    public ChainValidationResult validate(List<X509Certificate> presented, Collection<TrustedCa> trusted,
            Collection<X509CRL> crls, Clock clock) {
        Objects.requireNonNull(trusted, "trusted");
        Objects.requireNonNull(crls, "crls");
        Objects.requireNonNull(clock, "clock");
        if (presented == null || presented.isEmpty() || presented.stream().anyMatch(Objects::isNull)) {
            return new Refused(ChainFailure.MALFORMED, "no device certificate", null);
        }
        if (presented.size() > MAX_CHAIN_LENGTH) {
            return new Refused(ChainFailure.MALFORMED, presented.size() + " certificates presented", null);
        }
        ChainValidationResult built = buildPath(presented, trusted);
        if (built instanceof Trusted candidate) {
            Refused refused = checkEach(candidate.path(), Date.from(clock.instant()));
            if (refused == null) {
                refused = checkRevocation(candidate.path(), trusted, crls, clock.instant());
            }
            return refused != null ? refused : candidate;
        }
        return built;
    }

    /** A candidate path whose signatures hold, still to be checked, or a refusal. */
    private ChainValidationResult buildPath(List<X509Certificate> presented, Collection<TrustedCa> trusted) {
        X509Certificate current = presented.get(0);
        List<X509Certificate> path = new ArrayList<>();
        path.add(current);
        for (TrustedCa ca : trusted) {
            if (ca.certificate().equals(current)) {
                return new Trusted(path, ca);
            }
        }
        List<X509Certificate> unused = new ArrayList<>(presented.subList(1, presented.size()));
        while (path.size() <= MAX_CHAIN_LENGTH) {
            boolean nameMatched = false;
            for (TrustedCa ca : trusted) {
                if (isNamedIssuer(ca.certificate(), current)) {
                    nameMatched = true;
                    if (signatures.verifies(current, ca.certificate())) {
                        path.add(ca.certificate());
                        return new Trusted(path, ca);
                    }
                }
            }
            X509Certificate next = null;
            for (X509Certificate candidate : unused) {
                if (isNamedIssuer(candidate, current) && !candidate.equals(current)) {
                    nameMatched = true;
                    if (signatures.verifies(current, candidate)) {
                        next = candidate;
                        break;
                    }
                }
            }
            if (next == null) {
                String subject = current.getSubjectX500Principal().toString();
                String issuer = current.getIssuerX500Principal().toString();
                return nameMatched
                        ? new Refused(ChainFailure.BAD_SIGNATURE, subject + " is not signed by any "
                                + issuer + " it was checked against", current)
                        : new Refused(ChainFailure.UNTRUSTED_ISSUER, subject + " is issued by " + issuer
                                + ", which is neither trusted nor presented", current);
            }
            unused.remove(next);
            path.add(next);
            current = next;
        }
        return new Refused(ChainFailure.MALFORMED, "path longer than " + MAX_CHAIN_LENGTH, current);
    }

    private static boolean isNamedIssuer(X509Certificate issuer, X509Certificate certificate) {
        return issuer.getSubjectX500Principal().equals(certificate.getIssuerX500Principal());
    }

    private static Refused checkEach(List<X509Certificate> path, Date now) {
        int intermediatesBelow = 0;
        for (int i = 0; i < path.size(); i++) {
            X509Certificate cert = path.get(i);
            Refused refused = checkValidity(cert, now);
            if (refused == null) {
                refused = checkCriticalExtensions(cert);
            }
            if (refused == null) {
                refused = i == 0 ? checkLeafUsage(cert) : checkIssuer(cert, intermediatesBelow);
            }
            if (refused == null) {
                refused = checkExtendedKeyUsage(cert);
            }
            if (refused != null) {
                return refused;
            }
            // RFC 5280 §6.1.4 (l): self-issued intermediates do not count against path lengths.
            if (i > 0 && !isSelfIssued(cert)) {
                intermediatesBelow++;
            }
        }
        return null;
    }

    private static Refused checkValidity(X509Certificate cert, Date now) {
        try {
            cert.checkValidity(now);
            return null;
        } catch (CertificateExpiredException e) {
            return refused(ChainFailure.EXPIRED, cert, "expired at " + cert.getNotAfter().toInstant());
        } catch (CertificateNotYetValidException e) {
            return refused(ChainFailure.NOT_YET_VALID, cert, "not valid before " + cert.getNotBefore().toInstant());
        }
    }

    private static Refused checkCriticalExtensions(X509Certificate cert) {
        Set<String> critical = cert.getCriticalExtensionOIDs();
        if (critical != null) {
            for (String oid : critical) {
                if (!UNDERSTOOD_CRITICAL.contains(oid)) {
                    return refused(ChainFailure.UNSUPPORTED_CRITICAL_EXTENSION, cert, "critical extension " + oid);
                }
            }
        }
        return null;
    }

    private static Refused checkLeafUsage(X509Certificate leaf) {
        boolean[] usage = leaf.getKeyUsage();
        if (usage != null && !(usage.length > DIGITAL_SIGNATURE && usage[DIGITAL_SIGNATURE])) {
            return refused(ChainFailure.KEY_USAGE, leaf, "keyUsage lacks digitalSignature");
        }
        return null;
    }

    private static Refused checkIssuer(X509Certificate ca, int intermediatesBelow) {
        int pathLength = ca.getBasicConstraints();
        if (pathLength < 0) {
            return refused(ChainFailure.NOT_A_CA, ca, "signs certificates without basicConstraints CA=true");
        }
        if (intermediatesBelow > pathLength) {
            return refused(ChainFailure.PATH_LENGTH_EXCEEDED, ca,
                    "path length " + pathLength + " but " + intermediatesBelow + " intermediate(s) below it");
        }
        boolean[] usage = ca.getKeyUsage();
        if (usage != null && !(usage.length > KEY_CERT_SIGN && usage[KEY_CERT_SIGN])) {
            return refused(ChainFailure.KEY_USAGE, ca, "keyUsage lacks keyCertSign");
        }
        return null;
    }

    // Applied to CAs too, as browsers and Go do: a CA restricted to serverAuth cannot vouch for clients.
    private static Refused checkExtendedKeyUsage(X509Certificate cert) {
        List<String> purposes;
        try {
            purposes = cert.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            return refused(ChainFailure.EXTENDED_KEY_USAGE, cert, "unreadable extendedKeyUsage");
        }
        if (purposes != null && !purposes.contains(CLIENT_AUTH) && !purposes.contains(ANY_EXTENDED_KEY_USAGE)) {
            return refused(ChainFailure.EXTENDED_KEY_USAGE, cert, "extendedKeyUsage " + purposes + " lacks clientAuth");
        }
        return null;
    }

    /** Each certificate below the anchor against the CRLs of the CA that issued it. */
    private static Refused checkRevocation(List<X509Certificate> path, Collection<TrustedCa> trusted,
            Collection<X509CRL> crls, Instant now) {
        for (int i = 0; i + 1 < path.size(); i++) {
            X509Certificate cert = path.get(i);
            X509Certificate issuer = path.get(i + 1);
            for (TrustedCa ca : trusted) {
                // A trusted CA's CRL was checked against its key when it was configured.
                if (ca.crl() != null && sameKeyAndName(ca.certificate(), issuer)) {
                    Refused refused = checkRevocation(cert, ca.crl(), caName(issuer, ca.label()), now);
                    if (refused != null) {
                        return refused;
                    }
                }
            }
            for (X509CRL crl : crls) {
                if (Crls.isIssuedBy(crl, issuer)) {
                    Refused refused = checkRevocation(cert, crl, caName(issuer, null), now);
                    if (refused != null) {
                        return refused;
                    }
                }
            }
        }
        return null;
    }

    /** The CA by its subject, which is what its CRL and an operator's CA index know it by; the trust label beside it. */
    private static String caName(X509Certificate ca, String label) {
        String subject = "CA " + ca.getSubjectX500Principal().getName();
        return label == null ? subject : subject + " (trusted as " + label + ")";
    }

    private static Refused checkRevocation(X509Certificate cert, X509CRL crl, String caLabel, Instant now) {
        if (crl.getNextUpdate() != null && now.isAfter(crl.getNextUpdate().toInstant())) {
            return refused(ChainFailure.CRL_EXPIRED, cert,
                    "CRL of " + caLabel + " was due for renewal at " + crl.getNextUpdate().toInstant());
        }
        X509CRLEntry entry = crl.getRevokedCertificate(cert);
        if (entry != null) {
            return refused(ChainFailure.REVOKED, cert, "serial " + CertificateInfo.serialNumber(cert.getSerialNumber())
                    + " revoked by " + caLabel + " at " + entry.getRevocationDate().toInstant());
        }
        return null;
    }

    private static boolean sameKeyAndName(X509Certificate a, X509Certificate b) {
        return a.getSubjectX500Principal().equals(b.getSubjectX500Principal())
                && a.getPublicKey().equals(b.getPublicKey());
    }

    private static boolean isSelfIssued(X509Certificate cert) {
        return cert.getSubjectX500Principal().equals(cert.getIssuerX500Principal());
    }

    private static Refused refused(ChainFailure failure, X509Certificate cert, String why) {
        return new Refused(failure, cert.getSubjectX500Principal() + " " + why, cert);
    }

    int cachedSignatures() {
        return signatures.size();
    }
}
