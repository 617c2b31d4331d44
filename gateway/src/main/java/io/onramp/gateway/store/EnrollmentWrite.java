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
 * @param createOnly       the enrollment must not exist yet (bulk {@code create})
 * @param absentIsNotFound with {@code ifMatch}, a missing enrollment is a 404 rather than a 412 (bulk)
 * @param draft            builds the new enrollment from the stored one, if any; runs on the store's
 *                         writer thread so that nothing can change the stored one in between (keys
 *                         and certificates a client sends back stripped are carried over this way)
 */
public record EnrollmentWrite(EnrollmentRef.Kind kind, String id, String ifMatch, boolean createOnly,
        boolean absentIsNotFound, Function<Optional<Enrollment>, Enrollment> draft) {
}
