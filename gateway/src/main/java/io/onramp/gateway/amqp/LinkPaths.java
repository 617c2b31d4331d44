package io.onramp.gateway.amqp;

/** Link addresses as clients write them: a path, or a whole URL as C does ({@code amqps://{host}/…}). */
final class LinkPaths {

    private LinkPaths() {
    }

    /** The address without its scheme and host, and without a leading slash; null for a URL with no path. */
    static String relativePath(String address) {
        String path = address;
        int scheme = path.indexOf("://");
        if (scheme > 0) {
            int pathStart = path.indexOf('/', scheme + 3);
            if (pathStart < 0) {
                return null;
            }
            path = path.substring(pathStart);
        }
        return path.startsWith("/") ? path.substring(1) : path;
    }
}
