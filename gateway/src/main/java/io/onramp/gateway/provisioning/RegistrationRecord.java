package io.onramp.gateway.provisioning;

import java.time.Instant;

/**
 * The durable registration state of one device (DeviceRegistrationState): what the device was
 * told, and what it is told again when it re-registers or reads its status.
 *
 * @param payload the JSON object text returned to the device, or null
 * @param x509    the certificates an X.509 device was attested with, for its answer (not stored), or null
 * @param tpm     a TPM device's identity key and EK, or null
 * @param operationId the registration operation that wrote it, or null: a poll of that operation is answered from
 *                    the record once the operation itself is gone (a restart, or evicted from memory)
 */
public record RegistrationRecord(
        String registrationId,
        EnrollmentRef enrollment,
        String deviceId,
        String assignedHub,
        RegistrationStatus status,
        String substatus,
        Integer errorCode,
        String errorMessage,
        String payload,
        String etag,
        Instant createdDateTimeUtc,
        Instant lastUpdatedDateTimeUtc,
        AttestedDevice.X509Identity x509,
        Tpm tpm,
        String operationId) {

    public RegistrationRecord(String registrationId, EnrollmentRef enrollment, String deviceId, String assignedHub,
            RegistrationStatus status, String substatus, Integer errorCode, String errorMessage, String payload,
            String etag, Instant createdDateTimeUtc, Instant lastUpdatedDateTimeUtc) {
        this(registrationId, enrollment, deviceId, assignedHub, status, substatus, errorCode, errorMessage, payload, etag,
                createdDateTimeUtc, lastUpdatedDateTimeUtc, null, null, null);
    }

    /**
     * The record as an answer to the device that just proved itself: a stored record has no certificates (they are
     * not stored), so an X.509 device's answer takes them from the chain it presented now.
     */
    public RegistrationRecord answeredTo(AttestedDevice device) {
        if (x509 != null || device.x509() == null) {
            return this;
        }
        return new RegistrationRecord(registrationId, enrollment, deviceId, assignedHub, status, substatus, errorCode,
                errorMessage, payload, etag, createdDateTimeUtc, lastUpdatedDateTimeUtc, device.x509(), tpm, operationId);
    }

    /**
     * What a TPM registration keeps (spec 5.6): the identity key its TPM imported, which is also its hub key, so
     * that polls and re-registrations are checked against it and a re-registration gives the device the same key.
     *
     * @param identityKey        base64 of the HMAC identity key
     * @param endorsementKeyName hex of the TPM Name of the EK the key was given to
     * @param authenticationKey  the blob of the assigned answer (not stored), or null
     */
    public record Tpm(String identityKey, String endorsementKeyName, String authenticationKey) {
        @Override
        public String toString() {
            return "Tpm[endorsementKeyName=" + endorsementKeyName + "]";
        }
    }

    public static final String INITIAL_ASSIGNMENT = "initialAssignment";
    public static final String DEVICE_DATA_MIGRATED = "deviceDataMigrated";
    public static final String DEVICE_DATA_RESET = "deviceDataReset";
}
