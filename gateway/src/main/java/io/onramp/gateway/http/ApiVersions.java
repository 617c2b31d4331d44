package io.onramp.gateway.http;

import io.onramp.gateway.error.ProvisioningException;
import java.util.Set;

/**
 * The DPS device api-versions we serve: every one the current SDKs send (spec 1.5) and the older
 * and preview ones seen in the field. Anything else is a 400 that lists them.
 */
public final class ApiVersions {

    public static final Set<String> DEVICE = Set.of("2017-08-31-preview", "2017-11-15", "2018-09-01-preview",
            "2018-11-01", "2019-01-15", "2019-03-31", "2021-06-01", "2021-10-01", "2021-11-01-preview",
            "2025-07-01-preview");

    /** The service (enrollment) API: Java SDK 2.0.2 sends 2019-03-31, Node 1.11.2 2021-10-01 (service spec 1.2). */
    public static final Set<String> SERVICE = Set.of("2018-09-01-preview", "2018-11-01", "2019-03-31", "2021-06-01",
            "2021-10-01", "2025-07-01-preview", "2026-04-01");

    private ApiVersions() {}

    public static String require(String apiVersion) {
        return require(apiVersion, DEVICE);
    }

    public static String requireService(String apiVersion) {
        return require(apiVersion, SERVICE);
    }

    private static String require(String apiVersion, Set<String> supported) {
        if (apiVersion == null || apiVersion.isEmpty()) {
            throw ProvisioningException.badRequest("The api-version query parameter is required.");
        }
        if (!supported.contains(apiVersion)) {
            throw ProvisioningException.badRequest("Unsupported api-version '" + apiVersion.replaceAll("[^0-9A-Za-z-]", "?")
                    + "'; supported: " + String.join(", ", new java.util.TreeSet<>(supported)) + ".");
        }
        return apiVersion;
    }
}
