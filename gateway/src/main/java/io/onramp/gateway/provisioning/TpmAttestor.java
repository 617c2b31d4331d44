package io.onramp.gateway.provisioning;

import io.onramp.certs.tpm.IdentityKeyChallenge;
import io.onramp.certs.tpm.TpmFormatException;
import io.onramp.certs.tpm.TpmPublicArea;
import io.onramp.gateway.error.ErrorCode;
import io.onramp.gateway.error.ProvisioningException;
import io.onramp.policy.enrollment.IndividualEnrollment;
import io.onramp.policy.enrollment.RegistrationIds;
import io.onramp.policy.enrollment.TpmAttestation;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * TPM attestation over HTTPS (dps-device-protocol 5, 6.5): a register request with the device's EK and SRK and
 * no token gets a challenge, a 401 whose {@code authenticationKey} holds an identity key only the TPM with that EK
 * can import under that SRK; the device repeats the request with a SAS token signed by that key inside its TPM,
 * which lets it through once. The key becomes the device's hub key and stays with its registration, so every later
 * challenge of the same EK carries it again.
 *
 * <p>Only individual enrollments attest TPM devices, and only with the enrolled EK (compared by TPM Name, that is
 * by public area). Refusals: an EK or SRK that is not an RSA storage key 400004 (about the request, not the
 * enrollment); an unknown registration, another EK, a non-TPM enrollment, a bad or expired token 401002; too
 * many pending challenges 429001. A token that no pending challenge expects (used already, expired, or never
 * asked for) gets a new challenge rather than a refusal: it is how a device that restarts its flow finds out.
 *
 * <p>RSA (two OAEP encryptions per blob) runs on a worker, never on the event loop.
 */
public final class TpmAttestor {

    /** The identity key's size (spec 5.4 step 1): the SHA-256 block the TPM's HMAC key is made of. */
    static final int IDENTITY_KEY_BYTES = 32;
    private static final HexFormat HEX = HexFormat.of();

    private final Vertx vertx;
    private final String idScope;
    private final EnrollmentStore enrollments;
    private final RegistrationStore registrations;
    private final TpmChallenges challenges;
    private final SymmetricKeyAttestor tokens;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param tokens checks the SAS tokens, as for a symmetric-key device whose key is the identity key
     */
    public TpmAttestor(Vertx vertx, String idScope, EnrollmentStore enrollments, RegistrationStore registrations,
            TpmChallenges challenges, SymmetricKeyAttestor tokens) {
        this.vertx = vertx;
        this.idScope = idScope;
        this.enrollments = enrollments;
        this.registrations = registrations;
        this.challenges = challenges;
        this.tokens = tokens;
    }

    /** The device's keys as it sent them, checked to be RSA storage keys, and the enrollment they matched. */
    private record Presented(String registrationId, IndividualEnrollment enrollment, String endorsementKeyText,
            TpmPublicArea endorsementKey, TpmPublicArea storageRootKey, String endorsementKeyName,
            String storageRootKeyName, String challengeKey) {

        Presented matching(IndividualEnrollment enrolled) {
            return new Presented(registrationId, enrolled, endorsementKeyText, endorsementKey, storageRootKey,
                    endorsementKeyName, storageRootKeyName, challengeKey);
        }
    }

    public Future<AttestedDevice> attest(String requestIdScope, String registrationId, DeviceCredential.Tpm credential) {
        Presented presented;
        try {
            if (!idScope.equals(requestIdScope)) {
                throw ProvisioningException.unauthorized("unknown ID scope " + requestIdScope);
            }
            presented = present(registrationId, credential);
        } catch (ProvisioningException e) {
            return Future.failedFuture(e);
        }
        return enrollments.individual(registrationId)
                .map(individual -> matchEnrollment(presented, individual))
                .compose(device -> credential.sasToken() == null ? challenge(device)
                        : authenticate(device, credential.sasToken()));
    }

    /**
     * A SAS token alone (an operation poll, a registration-state lookup), from a device whose TPM was given its
     * identity key already: checked with the key kept with its registration. Nothing is challenged here; without
     * an individual TPM enrollment and a registered key it is a 401, as for any bad token.
     */
    public Future<AttestedDevice> attestRegistered(String requestIdScope, String registrationId,
            DeviceCredential credential) {
        return enrollments.individual(registrationId)
                .compose(individual -> individual.filter(e -> e.attestation() instanceof TpmAttestation)
                        .map(enrollment -> registrations.find(registrationId).map(record -> {
                            RegistrationRecord.Tpm registered = record.map(RegistrationRecord::tpm)
                                    .orElseThrow(() -> ProvisioningException.unauthorized(
                                            "TPM device " + registrationId + " has no identity key yet"));
                            tokens.verifyAgain(requestIdScope, registrationId, credential,
                                    List.of(registered.identityKey()));
                            // The registration keeps its EK and last blob, whatever this request leads to.
                            return new AttestedDevice(registrationId, enrollment,
                                    EnrollmentRef.individual(enrollment.registrationId()),
                                    List.of(registered.identityKey()), null, new AttestedDevice.TpmIdentity(
                                            registered.endorsementKeyName(), registered.authenticationKey()));
                        }))
                        .orElseGet(() -> Future.failedFuture(ProvisioningException.unauthorized(
                                "no individual TPM enrollment for " + registrationId))));
    }

    /** Parses the EK and SRK the device sent (a few microseconds: no RSA operation). */
    private Presented present(String registrationId, DeviceCredential.Tpm credential) {
        TpmPublicArea endorsementKey = storageKey(credential.endorsementKey(), "endorsementKey", "endorsement",
                registrationId);
        TpmPublicArea storageRootKey = storageKey(credential.storageRootKey(), "storageRootKey", "storage",
                registrationId);
        String name = HEX.formatHex(endorsementKey.name());
        return new Presented(registrationId, null, credential.endorsementKey().strip(), endorsementKey, storageRootKey,
                name, HEX.formatHex(storageRootKey.name()),
                TpmChallenges.key(idScope, RegistrationIds.key(registrationId), name));
    }

    /** An RSA restricted decryption key with AES-CFB (what an EK and an SRK are), else 400: the request is wrong. */
    private static TpmPublicArea storageKey(String base64, String field, String kind, String registrationId) {
        try {
            return TpmPublicArea.parseBase64(base64);
        } catch (TpmFormatException e) {
            throw new ProvisioningException(ErrorCode.ARGUMENT_INVALID,
                    "tpm." + field + " is not an RSA " + kind + " key (base64 TPM2B_PUBLIC).",
                    kind + " key of " + registrationId + " refused: " + e.getMessage());
        }
    }

    private Presented matchEnrollment(Presented presented, Optional<IndividualEnrollment> individual) {
        String registrationId = presented.registrationId();
        IndividualEnrollment enrollment = individual.orElseThrow(() -> ProvisioningException.unauthorized(
                "no individual enrollment for TPM device " + registrationId));
        if (!(enrollment.attestation() instanceof TpmAttestation tpm)) {
            throw ProvisioningException.unauthorized("individual enrollment " + registrationId + " is not TPM");
        }
        // The enrolled EK as the SDKs send it (the same base64) is the same public area: no need to parse it again.
        if (tpm.endorsementKey().strip().equals(presented.endorsementKeyText())) {
            return presented.matching(enrollment);
        }
        TpmPublicArea enrolled;
        try {
            enrolled = TpmPublicArea.parseBase64(tpm.endorsementKey());
        } catch (TpmFormatException e) {
            throw ProvisioningException.unauthorized("the endorsement key enrolled for " + registrationId
                    + " cannot be used: " + e.getMessage());
        }
        // The Name covers the whole public area (type, attributes, policy, modulus), not the base64 text.
        if (!MessageDigest.isEqual(enrolled.name(), presented.endorsementKey().name())) {
            throw ProvisioningException.unauthorized("endorsement key of " + registrationId + " is not the enrolled one");
        }
        return presented.matching(enrollment);
    }

    /**
     * A 401 with a blob for the identity key: the pending challenge's key, else the key the registration already
     * has (same EK), else a new one.
     */
    private Future<AttestedDevice> challenge(Presented device) {
        Future<Optional<byte[]>> known = challenges.find(device.challengeKey()).isPresent()
                ? Future.succeededFuture(Optional.empty())
                : registrations.find(device.registrationId()).map(record -> record
                        .map(RegistrationRecord::tpm)
                        .filter(tpm -> device.endorsementKeyName().equals(tpm.endorsementKeyName()))
                        .map(tpm -> Base64.getDecoder().decode(tpm.identityKey())));
        return known
                .map(registered -> challenges.issue(device.challengeKey(), () -> registered.orElseGet(this::newKey)))
                .compose(identityKey -> vertx.executeBlocking(() -> {
                    String blob = blob(device, identityKey);
                    challenges.rememberBlob(device.challengeKey(), identityKey, device.storageRootKeyName(), blob);
                    return blob;
                }, false))
                .compose(blob -> Future.failedFuture(ProvisioningException.tpmChallenge(blob,
                        "TPM challenge for " + device.registrationId())));
    }

    /** The signed request: checked with the pending challenge's key, which it then uses up. */
    private Future<AttestedDevice> authenticate(Presented device, String sasToken) {
        Optional<byte[]> pending = challenges.find(device.challengeKey());
        if (pending.isEmpty()) {
            return challenge(device);
        }
        String identityKey = Base64.getEncoder().encodeToString(pending.get());
        try {
            tokens.verifyAgain(idScope, device.registrationId(), new DeviceCredential.Sas(sasToken), List.of(identityKey));
        } catch (ProvisioningException e) {
            return Future.failedFuture(ProvisioningException.unauthorized("TPM device " + device.registrationId()
                    + ": " + e.getMessage()));
        }
        Optional<String> challengeBlob = challenges.blob(device.challengeKey(), pending.get(), device.storageRootKeyName());
        if (!challenges.use(device.challengeKey())) {
            return challenge(device);
        }
        // The assigned answer carries the same key again (spec 5.6): the challenge's blob when it was wrapped to
        // this SRK, else a new one.
        Future<String> answerBlob = challengeBlob.map(Future::succeededFuture)
                .orElseGet(() -> vertx.executeBlocking(() -> blob(device, pending.get()), false));
        return answerBlob
                .map(blob -> new AttestedDevice(device.registrationId(), device.enrollment(),
                        EnrollmentRef.individual(device.enrollment().registrationId()), List.of(identityKey), null,
                        new AttestedDevice.TpmIdentity(device.endorsementKeyName(), blob)));
    }

    /**
     * encUriData (spec 5.5) is opaque to every SDK: Java decrypts it in the TPM and discards it, C and Node skip it.
     * A short non-empty text (the ID scope) rather than none, as the spec recommends.
     */
    private String blob(Presented device, byte[] identityKey) {
        return Base64.getEncoder().encodeToString(IdentityKeyChallenge.build(device.endorsementKey(),
                device.storageRootKey(), identityKey, idScope.getBytes(StandardCharsets.UTF_8), random));
    }

    private byte[] newKey() {
        byte[] key = new byte[IDENTITY_KEY_BYTES];
        random.nextBytes(key);
        return key;
    }
}
