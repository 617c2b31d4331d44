package io.onramp.gateway.service;

import io.onramp.gateway.config.GatewayConfig.Right;
import io.onramp.gateway.error.ErrorCode;
import io.onramp.gateway.error.ProvisioningException;
import io.onramp.gateway.provisioning.EnrollmentRef;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One call of the DPS service API, read from its method and path (spec §3): what it does, on
 * which kind of record, with which id, and the access right it needs (§2.3).
 *
 * @param id the decoded registration or group id; null for bulk, enrollment queries and the query of all registrations
 */
public record ServiceOperation(Action action, EnrollmentRef.Kind kind, String id) {

    public enum Action {
        PUT(Right.EnrollmentWrite),
        GET(Right.EnrollmentRead),
        DELETE(Right.EnrollmentWrite),
        ATTESTATION_MECHANISM(Right.EnrollmentRead),
        QUERY(Right.EnrollmentRead),
        BULK(Right.EnrollmentWrite),
        REGISTRATION_GET(Right.RegistrationStatusRead),
        REGISTRATION_DELETE(Right.RegistrationStatusWrite),
        REGISTRATION_QUERY(Right.RegistrationStatusRead);

        private final Right right;

        Action(Right right) {
            this.right = right;
        }

        public Right right() {
            return right;
        }
    }

    /** Paths this API serves, matched case-insensitively: Node spells one of them /enrollmentgroups (spec 1.3). */
    public static final String PATHS = "(?i)^/(enrollments|enrollmentgroups|registrations)(/.*)?$";

    /**
     * Reads the operation.
     *
     * @throws ProvisioningException 404 for an unknown path, 405 for a known path with another method,
     *                               400 for an id that is not validly percent-encoded
     */
    public static ServiceOperation parse(String method, String path) {
        String[] segments = path.substring(1).split("/", -1);
        String collection = segments[0].toLowerCase(Locale.ROOT);
        String m = method.toUpperCase(Locale.ROOT);
        if (collection.equals("registrations")) {
            return registration(m, segments);
        }
        EnrollmentRef.Kind kind = collection.equals("enrollmentgroups") ? EnrollmentRef.Kind.GROUP : EnrollmentRef.Kind.INDIVIDUAL;
        switch (segments.length) {
            case 1:
                return m.equals("POST") ? new ServiceOperation(Action.BULK, kind, null) : notAllowed();
            case 2:
                // "query" is also a legal id: POST is the query, other verbs name the enrollment (spec 1.3).
                if (segments[1].equalsIgnoreCase("query") && m.equals("POST")) {
                    return new ServiceOperation(Action.QUERY, kind, null);
                }
                String id = id(segments[1]);
                return switch (m) {
                    case "PUT" -> new ServiceOperation(Action.PUT, kind, id);
                    case "GET" -> new ServiceOperation(Action.GET, kind, id);
                    case "DELETE" -> new ServiceOperation(Action.DELETE, kind, id);
                    default -> notAllowed();
                };
            case 3:
                if (!segments[2].equalsIgnoreCase("attestationmechanism")) {
                    return notFound();
                }
                // POST in both SDKs and the spec; GET served too, harmlessly (spec 3).
                return m.equals("POST") || m.equals("GET")
                        ? new ServiceOperation(Action.ATTESTATION_MECHANISM, kind, id(segments[1])) : notAllowed();
            default:
                return notFound();
        }
    }

    private static ServiceOperation registration(String m, String[] segments) {
        if (segments.length == 2) {
            // Onramp's own: POST /registrations/query pages every record (Azure's API queries one group's only).
            // "query" stays a registration id for GET and DELETE, as it stays an enrollment id (spec 1.3).
            if (segments[1].equalsIgnoreCase("query") && m.equals("POST")) {
                return new ServiceOperation(Action.REGISTRATION_QUERY, null, null);
            }
            return switch (m) {
                case "GET" -> new ServiceOperation(Action.REGISTRATION_GET, null, id(segments[1]));
                case "DELETE" -> new ServiceOperation(Action.REGISTRATION_DELETE, null, id(segments[1]));
                default -> notAllowed();
            };
        }
        if (segments.length == 3 && segments[2].equalsIgnoreCase("query")) {
            return m.equals("POST") ? new ServiceOperation(Action.REGISTRATION_QUERY, EnrollmentRef.Kind.GROUP, id(segments[1]))
                    : notAllowed();
        }
        return notFound();
    }

    /** Node percent-encodes ids, Java sends them raw (spec 1.3): decode once, never lower-case. */
    private static String id(String segment) {
        if (segment.isEmpty()) {
            throw new ProvisioningException(ErrorCode.METHOD_NOT_ALLOWED, "The id is missing from the path.");
        }
        try {
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ProvisioningException.badRequest("The id in the path is not validly percent-encoded.");
        }
    }

    private static ServiceOperation notAllowed() {
        throw new ProvisioningException(ErrorCode.METHOD_NOT_ALLOWED, "Method not allowed.");
    }

    private static ServiceOperation notFound() {
        throw new ProvisioningException(ErrorCode.NOT_FOUND, "Not found.");
    }
}
