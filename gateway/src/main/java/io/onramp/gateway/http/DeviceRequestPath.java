package io.onramp.gateway.http;

import io.vertx.core.http.HttpMethod;

/**
 * The path of a device's register ({@code PUT /{idScope}/registrations/{registrationId}/register}) or poll ({@code GET
 * /{idScope}/registrations/{registrationId}/operations/{operationId}}), told by splitting the path at its slashes:
 * the route templates that match the same paths cost a regular expression each, tried after those of the routes
 * ahead of them, and their parameters a map, on every request a device sends (vertx-web's routing was 12.9 % of the
 * event loops' samples at the bench's maximum, 3.7 % since). Only the plain spelling is recognized here; a
 * percent-encoded segment, an empty one or a trailing slash is left to the route templates, which decode and match
 * exactly as before.
 */
record DeviceRequestPath(String idScope, String registrationId, String operationId) {

    private static final String REGISTRATIONS = "registrations";

    /** A register's path, or a poll's (then with its operation ID), or null for any other request. */
    static DeviceRequestPath of(HttpMethod method, String path) {
        boolean register = method == HttpMethod.PUT;
        if (!register && method != HttpMethod.GET || path == null || path.indexOf('%') >= 0) {
            return null;
        }
        String[] segments = segments(path, register ? 4 : 5);
        if (segments == null || !segments[1].equals(REGISTRATIONS)) {
            return null;
        }
        if (register) {
            return segments[3].equals("register") ? new DeviceRequestPath(segments[0], segments[2], null) : null;
        }
        return segments[3].equals("operations") ? new DeviceRequestPath(segments[0], segments[2], segments[4]) : null;
    }

    /** Exactly {@code count} non-empty segments after the leading slash, or null. */
    private static String[] segments(String path, int count) {
        if (path.isEmpty() || path.charAt(0) != '/') {
            return null;
        }
        String[] segments = new String[count];
        int start = 1;
        for (int i = 0; i < count; i++) {
            int end = path.indexOf('/', start);
            boolean last = i == count - 1;
            if (last != (end < 0)) {
                return null;
            }
            if (last) {
                end = path.length();
            }
            if (end == start) {
                return null;
            }
            segments[i] = path.substring(start, end);
            start = end + 1;
        }
        return segments;
    }
}
