package io.onramp.gateway.provisioning;

import io.onramp.certs.x509.ChainValidationResult;
import io.onramp.certs.x509.ChainValidator;
import io.onramp.certs.x509.SubjectNames;
import io.onramp.certs.x509.Thumbprints;
import io.onramp.certs.x509.TrustedCa;
import io.onramp.gateway.error.ProvisioningException;
import io.onramp.policy.enrollment.EnrollmentGroup;
import io.onramp.policy.enrollment.IndividualEnrollment;
import io.onramp.policy.enrollment.RegistrationIds;
import io.onramp.policy.enrollment.X509Attestation;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * X.509 attestation (dps-device-protocol section 11): the leaf's subject CN is the registration ID (whatever its case);
 * an individual enrollment matches the leaf certificate itself, else the chain must lead to a
 * group's signing certificate, and the group nearest the leaf decides. Every refusal is the same
 * 401 to the client; the exception's detail (logged) says which check failed.
 */
public final class X509Attestor {

    private final Vertx vertx;
    private final Clock clock;
    private final String idScope;
    private final EnrollmentStore enrollments;
    private final ChainValidator validator;
    private final EnrollmentCertificateCache certificates;
    private final GroupTrustAnchors groupAnchors;

    public X509Attestor(Vertx vertx, Clock clock, String idScope, EnrollmentStore enrollments, ChainValidator validator,
            EnrollmentCertificateCache certificates, GroupTrustAnchors groupAnchors) {
        this.vertx = vertx;
        this.clock = clock;
        this.idScope = idScope;
        this.enrollments = enrollments;
        this.validator = validator;
        this.certificates = certificates;
        this.groupAnchors = groupAnchors;
    }

    public Future<AttestedDevice> attest(String requestIdScope, String registrationId, DeviceCredential.X509 credential) {
        if (!idScope.equals(requestIdScope)) {
            return Future.failedFuture(ProvisioningException.unauthorized("unknown ID scope " + requestIdScope));
        }
        // Signatures and digests are CPU work: off the event loop.
        return enrollments.individual(registrationId).compose(individual -> vertx.executeBlocking(
                () -> match(registrationId, credential.chain(), individual), false));
    }

    private AttestedDevice match(String registrationId, List<X509Certificate> chain,
            Optional<IndividualEnrollment> individual) {
        X509Certificate leaf = chain.get(0);
        String commonName = SubjectNames.commonName(leaf).orElse(null);
        // Compared case-insensitively, as registration IDs are (dps-device-protocol 1.3); the CN must be a registration
        // ID itself, so that no other character folds into one of an ID. The CN's spelling goes on: a group device's
        // ID is its registration ID, and the hub compares a device ID with the certificate's CN exactly.
        if (commonName == null || !RegistrationIds.isValid(commonName)
                || !RegistrationIds.key(commonName).equals(RegistrationIds.key(registrationId))) {
            throw ProvisioningException.unauthorized("certificate CN " + (commonName == null ? "(none)" : commonName)
                    + " is not registration " + registrationId);
        }
        return individual.isPresent() ? matchIndividual(commonName, chain, individual.get())
                : matchGroup(commonName, chain);
    }

    private AttestedDevice matchIndividual(String registrationId, List<X509Certificate> chain,
            IndividualEnrollment enrollment) {
        X509Certificate leaf = chain.get(0);
        if (!(enrollment.attestation() instanceof X509Attestation x509)
                || x509.kind() != X509Attestation.Kind.CLIENT_CERTIFICATES) {
            if (!enrollment.enabled()) {
                return blockedGroupDevice(registrationId, chain, enrollment);
            }
            throw ProvisioningException.unauthorized("individual enrollment " + registrationId + " is not X.509");
        }
        Optional<X509Certificate> primary = certificates.certificate(x509.primary());
        Optional<X509Certificate> secondary = certificates.certificate(x509.secondary());
        X509Certificate enrolled = primary.filter(leaf::equals).or(() -> secondary.filter(leaf::equals))
                .orElseThrow(() -> ProvisioningException.unauthorized(
                        "certificate of " + registrationId + " is neither of its enrollment's"));
        // A path of one: the enrolled certificate itself, checked for validity and usage.
        requireTrusted(validator.validate(List.of(leaf), List.of(TrustedCa.of(enrolled)), clock), registrationId);
        String leafThumbprint = Thumbprints.sha256(leaf);
        return new AttestedDevice(registrationId, enrollment, EnrollmentRef.individual(enrollment.registrationId()),
                List.of(), new AttestedDevice.X509Identity(leafThumbprint,
                        primary.map(Thumbprints::sha256).orElse(null), secondary.map(Thumbprints::sha256).orElse(null),
                        false, leaf, null));
    }

    /**
     * A disabled individual enrollment that blocks a group's device (dps-service-api 13.3) cannot hold the
     * device's certificate: a group device's certificate is stored nowhere. So the device proves itself
     * through its group as before, and the disabled enrollment then takes precedence: it gets the disabled
     * outcome instead of a bare 401. A chain no group trusts is still refused.
     */
    private AttestedDevice blockedGroupDevice(String registrationId, List<X509Certificate> chain,
            IndividualEnrollment blocker) {
        AttestedDevice viaGroup = matchGroup(registrationId, chain);
        return new AttestedDevice(registrationId, blocker, EnrollmentRef.individual(blocker.registrationId()), List.of(),
                viaGroup.x509());
    }

    private AttestedDevice matchGroup(String registrationId, List<X509Certificate> chain) {
        List<TrustedCa> trusted = new ArrayList<>();
        Map<String, EnrollmentGroup> byId = new HashMap<>();
        for (EnrollmentGroup group : enrollments.groups()) {
            List<TrustedCa> anchors = groupAnchors.of(group);
            if (!anchors.isEmpty()) {
                byId.put(group.enrollmentGroupId(), group);
                trusted.addAll(anchors);
            }
        }
        if (trusted.isEmpty()) {
            throw ProvisioningException.unauthorized("no individual enrollment for " + registrationId
                    + " and no X.509 enrollment group");
        }
        // The path ends at the first trusted certificate from the leaf up: the group nearest the leaf.
        ChainValidationResult.Trusted path = requireTrusted(validator.validate(chain, trusted, clock), registrationId);
        EnrollmentGroup group = byId.get(path.anchor().label());
        return new AttestedDevice(registrationId, group, EnrollmentRef.group(group.enrollmentGroupId()), List.of(),
                new AttestedDevice.X509Identity(Thumbprints.sha256(path.leaf()), null, null, true, path.leaf(),
                        path.anchor().certificate()));
    }

    private static ChainValidationResult.Trusted requireTrusted(ChainValidationResult result, String registrationId) {
        if (result instanceof ChainValidationResult.Refused refused) {
            throw ProvisioningException.unauthorized("certificate chain of " + registrationId + " refused: "
                    + refused.logMessage());
        }
        return (ChainValidationResult.Trusted) result;
    }

    /** A poll must come with the same leaf certificate the registration was attested with. */
    public void verifyAgain(String requestIdScope, String registrationId, DeviceCredential credential,
            String leafThumbprint) {
        if (!idScope.equals(requestIdScope)) {
            throw ProvisioningException.unauthorized("unknown ID scope " + requestIdScope);
        }
        if (!(credential instanceof DeviceCredential.X509 x509)
                || !Thumbprints.sha256(x509.leaf()).equals(leafThumbprint)) {
            throw ProvisioningException.unauthorized("poll of " + registrationId + " without its certificate");
        }
    }
}
