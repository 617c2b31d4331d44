package io.onramp.gateway.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.net.ssl.SSLSocket;

/**
 * HTTP/1.1 written byte by byte over a real TLS connection to the gateway, for requests no HTTP client would send
 * (broken framing, oversized lines): one request per connection, one answer read back.
 */
public final class RawHttps {

    private RawHttps() {}

    /** A TLS connection to the gateway's HTTPS listener, handshake done, reads timing out after 3 s. */
    public static SSLSocket connect(TestGateway gateway) throws IOException {
        return connectFrom("127.0.0.1", gateway);
    }

    /** The same from the local address {@code source} (any 127.x.y.z): the gateway sees that client address. */
    public static SSLSocket connectFrom(String source, TestGateway gateway) throws IOException {
        SSLSocket socket = TestTls.connectFrom(TestTls.trusting(gateway.caFile()), source, gateway.address(),
                gateway.httpsPort());
        socket.setSoTimeout(3000);
        return socket;
    }

    /**
     * Sends {@code request} and reads one answer: up to its Content-Length, or until the gateway closes; then waits up
     * to a second to tell whether the gateway closes the connection after it.
     */
    public static Answer exchange(TestGateway gateway, byte[] request) throws IOException {
        return exchange(gateway, request, true);
    }

    public static Answer exchange(TestGateway gateway, String request) throws IOException {
        return exchange(gateway, request.getBytes(StandardCharsets.UTF_8));
    }

    /** As {@link #exchange(TestGateway, byte[])}; {@code whetherClosed} false: not waiting, closed is true only if seen. */
    public static Answer exchange(TestGateway gateway, byte[] request, boolean whetherClosed) throws IOException {
        return exchangeFrom("127.0.0.1", gateway, request, whetherClosed);
    }

    /** As {@link #exchange(TestGateway, byte[], boolean)}, from the local address {@code source}. */
    public static Answer exchangeFrom(String source, TestGateway gateway, byte[] request, boolean whetherClosed)
            throws IOException {
        try (SSLSocket socket = connectFrom(source, gateway)) {
            try {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
            } catch (IOException e) {
                // The gateway may answer and close before reading all of an oversized request: read what it said.
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream read = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int expected = -1;
            boolean closed = false;
            try {
                while (expected < 0 || read.size() < expected) {
                    int n = in.read(buffer);
                    if (n < 0) {
                        closed = true;
                        break;
                    }
                    read.write(buffer, 0, n);
                    expected = Answer.expectedLength(read.toString(StandardCharsets.ISO_8859_1));
                }
                if (!closed && whetherClosed) {
                    // Answered in full: is the connection then closed, or kept for the next request?
                    socket.setSoTimeout(1000);
                    closed = in.read() < 0;
                }
            } catch (SocketTimeoutException e) {
                closed = false;
            } catch (IOException e) {
                closed = true; // reset
            }
            return Answer.of(read.toString(StandardCharsets.ISO_8859_1), closed);
        }
    }

    /** The answer's head (status line and headers), its body, and whether the gateway closed the connection after it. */
    public record Answer(String head, String body, boolean closed) {

        /**
         * The first answer in {@code raw}, the bytes read as ISO-8859-1 (a char a byte, so that lengths are bytes): a
         * request the gateway read as two has two answers. The body is given as UTF-8.
         */
        static Answer of(String raw, boolean closed) {
            int end = raw.indexOf("\r\n\r\n");
            if (end < 0) {
                return new Answer(raw, "", closed);
            }
            int length = Math.min(raw.length(), Math.max(expectedLength(raw), end + 4));
            byte[] body = raw.substring(end + 4, length).getBytes(StandardCharsets.ISO_8859_1);
            return new Answer(raw.substring(0, end), new String(body, StandardCharsets.UTF_8), closed);
        }

        /** The whole answer's length in bytes once its head is in, else -1. */
        static int expectedLength(String raw) {
            int end = raw.indexOf("\r\n\r\n");
            if (end < 0) {
                return -1;
            }
            for (String line : raw.substring(0, end).split("\r\n")) {
                if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                    return end + 4 + Integer.parseInt(line.substring(15).trim());
                }
            }
            return end + 4;
        }

        /** The status code, or -1 when nothing (or no HTTP) came back. */
        public int status() {
            String[] parts = head.split(" ");
            return head.startsWith("HTTP/") && parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
        }

        public String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }
}
