package io.onramp.gateway.store;

import io.onramp.gateway.provisioning.EnrollmentRef;
import io.onramp.policy.enrollment.Enrollment;
import java.util.Optional;
import java.util.function.Function;

/**
 * One create-or-replace of an enrollment, checked and applied inside the store's write transaction.
 *
 * @param kind             individual or group
 * @param id               the registration or group id, as the client wrote it
 * @param ifMatch          null: unconditional; {@code *}: the enrollment must exist; else its etag
 * @param ifExists         what an existing enrollment means: replace it, or refuse the write (bulk
 *                         {@code create}: 409; {@code If-None-Match: *}: 412)
 * @param absentIsNotFound with {@code ifMatch}, a missing enrollment is a 404 rather than a 412 (bulk)
 * @param draft            builds the new enrollment from the stored one, if any; runs on the store's
 *                         writer thread so that nothing can change the stored one in between (keys
 *                         and certificates a client sends back stripped are carried over this way)
 */
public record EnrollmentWrite(EnrollmentRef.Kind kind, String id, String ifMatch, IfExists ifExists,
        boolean absentIsNotFound, Function<Optional<Enrollment>, Enrollment> draft) {

    /** What the write does when the enrollment already exists. */
    public enum IfExists {
        /** Create or replace (a plain PUT, bulk {@code update}). */
        REPLACE,
        /** Refuse with 409 Conflict (bulk {@code create}, spec 9). */
        CONFLICT,
        /** Refuse with 412 Precondition Failed ({@code If-None-Match: *}, RFC 9110 13.1.2). */
        PRECONDITION_FAILED
    }
}
