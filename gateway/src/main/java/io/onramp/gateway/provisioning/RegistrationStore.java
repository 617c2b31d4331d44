package io.onramp.gateway.provisioning;

import io.vertx.core.Future;
import java.util.Optional;

/** Durable registration states, keyed by registration ID (case-insensitive). */
public interface RegistrationStore {

    Future<Optional<RegistrationRecord>> find(String registrationId);

    /** Inserts or replaces; completes once the record is on disk. */
    Future<RegistrationRecord> save(RegistrationRecord record);
}
