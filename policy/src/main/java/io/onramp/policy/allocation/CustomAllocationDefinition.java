package io.onramp.policy.allocation;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Where a {@code custom} allocation asks which hub a device goes to (service API
 * {@code customAllocationDefinition}, spec §4.7 and §12.4). Messages never echo the URL: Azure
 * Functions carry their key in it ({@code ?code=}).
 *
 * @param webhookUrl absolute http or https URL, called verbatim
 * @param apiVersion the api-version whose shape the webhook expects the enrollment in
 */
public record CustomAllocationDefinition(String webhookUrl, String apiVersion) {

    public CustomAllocationDefinition {
        if (webhookUrl == null || webhookUrl.isBlank()) {
            throw new IllegalArgumentException("customAllocationDefinition.webhookUrl: required");
        }
        if (!isHttpUrl(webhookUrl)) {
            throw new IllegalArgumentException("customAllocationDefinition.webhookUrl: must be an absolute http or https URL");
        }
        if (apiVersion == null || apiVersion.isBlank()) {
            throw new IllegalArgumentException("customAllocationDefinition.apiVersion: required");
        }
    }

    /** True for an absolute http(s) URL with a host: anything else could never be called. */
    public static boolean isHttpUrl(String text) {
        try {
            URI uri = new URI(text);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
