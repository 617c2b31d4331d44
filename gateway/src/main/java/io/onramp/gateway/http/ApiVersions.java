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

    private ApiVersions() {}

    public static String require(String apiVersion) {
        if (apiVersion == null || apiVersion.isEmpty()) {
            throw ProvisioningException.badRequest("The api-version query parameter is required.");
        }
        if (!DEVICE.contains(apiVersion)) {
            throw ProvisioningException.badRequest("Unsupported api-version '" + apiVersion.replaceAll("[^0-9A-Za-z-]", "?")
                    + "'; supported: " + String.join(", ", new java.util.TreeSet<>(DEVICE)) + ".");
        }
        return apiVersion;
    }
}
