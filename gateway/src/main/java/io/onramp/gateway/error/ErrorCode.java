package io.onramp.gateway.error;

/** Azure-style error codes: the first three digits are the HTTP status (dps-service-api.md 15.3). */
public enum ErrorCode {
    ARGUMENT_INVALID(400004),
    FORMAT_ERROR(400006),
    NO_HUB_ALLOCATED(400208),
    HUB_UNAUTHORIZED(400209),
    UNAUTHORIZED(401002),
    QUOTA_EXCEEDED(403002),
    NOT_FOUND(404001),
    ENROLLMENT_NOT_FOUND(404201),
    REGISTRATION_NOT_FOUND(404202),
    OPERATION_NOT_FOUND(404203),
    ENROLLMENT_GROUP_NOT_FOUND(404204),
    CA_CERTIFICATE_NOT_FOUND(404211),
    DEVICE_NOT_FOUND(404101),
    METHOD_NOT_ALLOWED(405001),
    CONFLICT(409001),
    ENROLLMENT_CONFLICT(409201),
    ENROLLMENT_GROUP_CONFLICT(409202),
    DEVICE_RECORD_CONFLICT(409205),
    CA_CERTIFICATE_CONFLICT(409211),
    PRECONDITION_FAILED(412001),
    MESSAGE_TOO_LARGE(413001),
    URI_TOO_LONG(414001),
    UNSUPPORTED_MEDIA_TYPE(415001),
    REQUEST_TIMEOUT(408001),
    THROTTLED(429001),
    HEADERS_TOO_LARGE(431001),
    INTERNAL(500001),
    UNAVAILABLE(503001);

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public int status() {
        return code / 1000;
    }
}
