package io.onramp.gateway.service;

import io.onramp.gateway.error.ProvisioningException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A query's page request (spec §8): the page size from {@code x-ms-max-item-count} and where to
 * resume from {@code x-ms-continuation}, an opaque token that holds the last lower-cased id served.
 */
public record QueryPaging(int pageSize, String afterKey) {

    public static final int DEFAULT_PAGE_SIZE = 100;
    public static final int MAX_PAGE_SIZE = 1000;
    private static final String TOKEN_PREFIX = "after:";
    // Every query string the SDKs and their samples send: "*", "SELECT *", "select * from enrollments", ...
    private static final Pattern SELECT_ALL = Pattern.compile(
            "^\\s*(\\*|select\\s+\\*(\\s+from\\s+(enrollments|enrollmentgroups|deviceregistrations))?)\\s*$");

    /** @throws ProvisioningException 400 for a bad page size or continuation token */
    public static QueryPaging parse(String maxItemCount, String continuation) {
        int size = DEFAULT_PAGE_SIZE;
        if (maxItemCount != null && !maxItemCount.isBlank()) {
            try {
                size = Integer.parseInt(maxItemCount.trim());
            } catch (NumberFormatException e) {
                throw ProvisioningException.badRequest("x-ms-max-item-count must be a number.");
            }
            if (size < 0) {
                throw ProvisioningException.badRequest("x-ms-max-item-count must not be negative.");
            }
            size = size == 0 ? DEFAULT_PAGE_SIZE : Math.min(size, MAX_PAGE_SIZE);
        }
        return new QueryPaging(size, continuation == null || continuation.isEmpty() ? null : decode(continuation));
    }

    /**
     * Checks the query text. Only "all records" queries are served; a WHERE clause is refused rather
     * than ignored, since returning everything for a filter would mislead the caller.
     */
    public static void requireSelectAll(String query) {
        if (query == null) {
            throw ProvisioningException.badRequest("The body must be a QuerySpecification: {\"query\": \"SELECT * FROM enrollments\"}.");
        }
        if (!SELECT_ALL.matcher(query.toLowerCase(Locale.ROOT)).matches()) {
            throw ProvisioningException.badRequest("Only 'SELECT * FROM enrollments' (or enrollmentGroups,"
                    + " deviceRegistrations) queries are supported.");
        }
    }

    public static String token(String lastKey) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((TOKEN_PREFIX + lastKey).getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String token) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(token.trim()), StandardCharsets.UTF_8);
            if (text.startsWith(TOKEN_PREFIX)) {
                return text.substring(TOKEN_PREFIX.length());
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw ProvisioningException.badRequest("x-ms-continuation is not a token this service issued.");
    }
}
