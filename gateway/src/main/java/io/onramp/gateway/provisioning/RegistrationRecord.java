package io.onramp.gateway.provisioning;

import java.time.Instant;

/**
 * The durable registration state of one device (DeviceRegistrationState): what the device was
 * told, and what it is told again when it re-registers or reads its status.
 *
 * @param payload the JSON object text returned to the device, or null
 * @param x509    the certificates an X.509 device was attested with, for its answer (not stored), or null
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
        AttestedDevice.X509Identity x509) {

    public RegistrationRecord(String registrationId, EnrollmentRef enrollment, String deviceId, String assignedHub,
            RegistrationStatus status, String substatus, Integer errorCode, String errorMessage, String payload,
            String etag, Instant createdDateTimeUtc, Instant lastUpdatedDateTimeUtc) {
        this(registrationId, enrollment, deviceId, assignedHub, status, substatus, errorCode, errorMessage, payload, etag,
                createdDateTimeUtc, lastUpdatedDateTimeUtc, null);
    }

    public static final String INITIAL_ASSIGNMENT = "initialAssignment";
    public static final String DEVICE_DATA_MIGRATED = "deviceDataMigrated";
    public static final String DEVICE_DATA_RESET = "deviceDataReset";
}
