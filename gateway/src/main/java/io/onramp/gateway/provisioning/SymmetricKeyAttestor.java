package io.onramp.gateway.provisioning;

import io.onramp.certs.sas.SasToken;
import io.onramp.certs.sas.SasTokenException;
import io.onramp.certs.sas.SasTokenVerifier;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.error.ProvisioningException;
import io.onramp.policy.enrollment.EnrollmentGroup;
import io.onramp.policy.enrollment.IndividualEnrollment;
import io.onramp.policy.enrollment.SymmetricKeyAttestation;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Symmetric-key attestation (spec section 4): the SAS token must be for
 * {@code {idScope}/registrations/{registrationId}} and signed with the individual enrollment's key or
 * with a key derived from a group's key. Individual enrollments take precedence over groups.
 * Every failure is the same 401 to the client; the log says which part was wrong.
 */
public final class SymmetricKeyAttestor {

    private static final int MAX_NAMED_GROUPS = 10;
    /**
     * From this many groups on, a device that the group matched last does not admit is first tried in the group its
     * stored record names: a store read, 35-45 us of the process's CPU (none for a device never registered, whose ID
     * the store's filter knows to be new), against trying the groups in turn, about 1 us each. GroupMatchCost
     * (bench/README, "Many symmetric-key groups"): 67 then 45 us of CPU a re-registration at 64 groups, 101 then 37
     * at 100; at 48 groups no gain.
     */
    static final int STORED_GROUP_FROM = 64;

    private final String idScope;
    private final EnrollmentStore enrollments;
    private final RegistrationStore registrations;
    private final SasTokenVerifier verifier;
    /** The group the last group member's token verified against: a hint, racy by design (any group will do). */
    private volatile EnrollmentGroup lastMatched;

    public SymmetricKeyAttestor(String idScope, EnrollmentStore enrollments, RegistrationStore registrations,
            SasTokenVerifier verifier) {
        this.idScope = idScope;
        this.enrollments = enrollments;
        this.registrations = registrations;
        this.verifier = verifier;
    }

    public Future<AttestedDevice> attest(String requestIdScope, String registrationId, DeviceCredential credential) {
        SasToken token;
        try {
            token = tokenFor(requestIdScope, registrationId, credential);
        } catch (ProvisioningException e) {
            return Future.failedFuture(e);
        }
        return enrollments.individual(registrationId).compose(individual -> match(registrationId, token, individual));
    }

    /** The request's SAS token, if it is for this scope and registration; 401 otherwise. */
    private SasToken tokenFor(String requestIdScope, String registrationId, DeviceCredential credential) {
        if (!idScope.equals(requestIdScope)) {
            throw ProvisioningException.unauthorized("unknown ID scope " + requestIdScope);
        }
        if (!(credential instanceof DeviceCredential.Sas sas) || sas.token() == null) {
            throw ProvisioningException.unauthorized("no SAS token for " + registrationId
                    + " (and no client certificate, for an X.509 device)");
        }
        SasToken token;
        try {
            token = SasToken.parse(sas.token());
        } catch (SasTokenException e) {
            throw ProvisioningException.unauthorized("malformed SAS token: " + e.getMessage());
        }
        String expected = idScope + "/registrations/" + registrationId;
        if (!token.decodedResource().equalsIgnoreCase(expected)) {
            throw ProvisioningException.unauthorized("SAS resource " + token.resource() + " is not " + expected);
        }
        return token;
    }

    private Future<AttestedDevice> match(String registrationId, SasToken token,
            Optional<IndividualEnrollment> individual) {
        if (individual.isPresent()) {
            IndividualEnrollment enrollment = individual.get();
            if (enrollment.attestation() instanceof SymmetricKeyAttestation keys && verify(token, keys.keys(), registrationId)) {
                return Future.succeededFuture(new AttestedDevice(registrationId, enrollment,
                        EnrollmentRef.individual(enrollment.registrationId()), keys.keys()));
            }
            if (!enrollment.enabled()) {
                return blockedGroupDevice(registrationId, token, enrollment);
            }
            throw ProvisioningException.unauthorized("SAS token does not verify against individual enrollment " + registrationId);
        }
        return matchGroup(registrationId, token);
    }

    /**
     * A disabled individual enrollment that blocks a group's device (dps-service-api 13.3; {@code onramp registrations
     * deprovision} makes one with keys of its own, since the group key is not its to copy): the device proves itself
     * with its group-derived key as before, and the disabled enrollment then takes precedence, so it gets the
     * disabled outcome instead of a bare 401. A token no group's key verifies is still refused.
     */
    private Future<AttestedDevice> blockedGroupDevice(String registrationId, SasToken token,
            IndividualEnrollment blocker) {
        return matchGroup(registrationId, token).map(viaGroup -> new AttestedDevice(registrationId, blocker,
                EnrollmentRef.individual(blocker.registrationId()), viaGroup.deviceKeys()));
    }

    /**
     * The group whose derived key signed the token. Each group costs four HMACs (two keys derived, two checks), so
     * the group that matched last is tried first: devices of one batch boot together, and then a gateway with many
     * groups does one group's work per device, not all of them. Groups that share a key (which nothing needs) may
     * then match in another order than the list's. With many groups a device of another group than the last is first
     * tried in the group its stored record names ({@link #STORED_GROUP_FROM}): after a power cut a whole plant's
     * devices come back in no order of groups, and each would otherwise cost every group before its own.
     */
    private Future<AttestedDevice> matchGroup(String registrationId, SasToken token) {
        List<EnrollmentGroup> groups = enrollments.groups();
        EnrollmentGroup hint = lastMatched;
        if (hint != null && holds(groups, hint)) {
            AttestedDevice device = tryGroup(hint, registrationId, token);
            if (device != null) {
                return Future.succeededFuture(device);
            }
        }
        if (groups.size() < STORED_GROUP_FROM) {
            return Future.succeededFuture(tryInTurn(groups, Arrays.asList(hint), registrationId, token));
        }
        // Only a hint: should the read fail, the groups are tried in turn as before.
        return registrations.find(registrationId).otherwise(Optional.empty()).map(stored -> {
            EnrollmentGroup own = stored.map(RegistrationRecord::enrollment)
                    .filter(ref -> ref.kind() == EnrollmentRef.Kind.GROUP)
                    .map(ref -> named(groups, ref.id())).orElse(null);
            AttestedDevice device = own == null || own == hint ? null : tryGroup(own, registrationId, token);
            if (device != null) {
                lastMatched = own;
                return device;
            }
            return tryInTurn(groups, Arrays.asList(hint, own), registrationId, token);
        });
    }

    /** The groups in their order, but those already tried; 401 when none admits the device. */
    private AttestedDevice tryInTurn(List<EnrollmentGroup> groups, List<EnrollmentGroup> tried, String registrationId,
            SasToken token) {
        for (EnrollmentGroup group : groups) {
            AttestedDevice device = holds(tried, group) ? null : tryGroup(group, registrationId, token);
            if (device != null) {
                lastMatched = group;
                return device;
            }
        }
        List<String> candidates = groups.stream().filter(g -> g.attestation() instanceof SymmetricKeyAttestation)
                .map(EnrollmentGroup::enrollmentGroupId).toList();
        throw ProvisioningException.unauthorized(candidates.isEmpty()
                ? "no individual enrollment for " + registrationId + " and no symmetric-key enrollment group"
                : "SAS token of " + registrationId + " verifies against no symmetric-key enrollment group's derived key"
                        + " (groups tried: " + names(candidates) + ") and there is no individual enrollment for it");
    }

    /** The group's device, if the token is signed with a key derived from one of the group's; else null. */
    private AttestedDevice tryGroup(EnrollmentGroup group, String registrationId, SasToken token) {
        if (!(group.attestation() instanceof SymmetricKeyAttestation keys)) {
            return null;
        }
        List<byte[]> derived = new ArrayList<>(2);
        for (String groupKey : keys.keys()) {
            derived.add(SymmetricKeys.deriveDeviceKey(SymmetricKeys.decode(groupKey), registrationId));
        }
        if (!verifyDecoded(token, derived, registrationId)) {
            return null;
        }
        List<String> deviceKeys = derived.stream().map(key -> Base64.getEncoder().encodeToString(key)).toList();
        return new AttestedDevice(registrationId, group, EnrollmentRef.group(group.enrollmentGroupId()), deviceKeys);
    }

    /** Whether this very group (not an equal one from before a reload) is among the groups. */
    private static boolean holds(List<EnrollmentGroup> groups, EnrollmentGroup group) {
        for (EnrollmentGroup g : groups) {
            if (g == group) {
                return true;
            }
        }
        return false;
    }

    /** The group of that ID, or null (gone since the record was written). */
    private static EnrollmentGroup named(List<EnrollmentGroup> groups, String enrollmentGroupId) {
        for (EnrollmentGroup g : groups) {
            if (g.enrollmentGroupId().equalsIgnoreCase(enrollmentGroupId)) {
                return g;
            }
        }
        return null;
    }

    /** The first few names: an operator recognises the group, and thousands of names would drown the line. */
    private static String names(List<String> groupIds) {
        int shown = Math.min(groupIds.size(), MAX_NAMED_GROUPS);
        String named = String.join(", ", groupIds.subList(0, shown));
        return shown == groupIds.size() ? named : named + " and " + (groupIds.size() - shown) + " more";
    }

    private boolean verify(SasToken token, List<String> keys, String registrationId) {
        return verifyDecoded(token, keys.stream().map(SymmetricKeys::decode).toList(), registrationId);
    }

    private boolean verifyDecoded(SasToken token, List<byte[]> keys, String registrationId) {
        SasTokenVerifier.Verdict verdict = verifier.verify(token, keys);
        if (verdict == SasTokenVerifier.Verdict.EXPIRED) {
            throw ProvisioningException.unauthorized("expired SAS token for " + registrationId);
        }
        return verdict == SasTokenVerifier.Verdict.VALID;
    }

    /**
     * Checks a token against given keys without an enrollment lookup: a poll's against the keys proven at register
     * time, a TPM device's against the identity key of its challenge.
     */
    public void verifyAgain(String requestIdScope, String registrationId, DeviceCredential credential, List<String> keys) {
        if (!verify(tokenFor(requestIdScope, registrationId, credential), keys, registrationId)) {
            throw ProvisioningException.unauthorized("SAS token does not verify with the key(s) of " + registrationId);
        }
    }
}
