package io.onramp.gateway.provisioning;

import io.onramp.policy.enrollment.EnrollmentGroup;
import io.onramp.policy.enrollment.IndividualEnrollment;
import io.vertx.core.Future;
import java.util.List;
import java.util.Optional;

/** Where the provisioning core looks enrollments up. */
public interface EnrollmentStore {

    Future<Optional<IndividualEnrollment>> individual(String registrationId);

    /** The enrollment groups, in the order they are tried. */
    List<EnrollmentGroup> groups();
}
