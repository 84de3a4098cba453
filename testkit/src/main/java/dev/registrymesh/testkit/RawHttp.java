package dev.registrymesh.testkit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP exchange over a plain socket, with the request's bytes exactly as given: HTTP clients always add a
 * Host header, normalize paths and refuse malformed lines, which is what hostile-request tests need to avoid.
 * Send {@code Connection: close} (or HTTP/1.0): the response is read until the server closes or its
 * Content-Length is complete.
 */
public final class RawHttp {
    private RawHttp() {
    }

    /** The status line's code, the headers (names lower-case, last one wins) and the body as text. */
    public record Response(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    public static Response exchange(int port, String request) {
        return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1));
    }

    public static Response exchange(int port, byte[] request) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            try {
                socket.getOutputStream().write(request);
                socket.getOutputStream().flush();
            } catch (java.net.SocketException e) {
                // The server answered before taking all of it (a request line over its limit) and closed: the
                // answer is already here, as clients that read after a failed write (Go's, Java's) see it.
            }
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends {@code request} and reads until the server closes the connection: everything it sent, as text. Fails
     * when the connection is still open after {@code timeoutMillis}, so a test can tell that the server closed it.
     */
    public static String exchangeUntilClosed(int port, String request, int timeoutMillis) {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(timeoutMillis);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Response read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int headEnd = -1;
        long contentLength = -1;
        try {
            for (int n; (n = in.read(buffer)) > 0; ) {
                all.write(buffer, 0, n);
                String text = all.toString(StandardCharsets.ISO_8859_1);
                if (headEnd < 0 && (headEnd = text.indexOf("\r\n\r\n")) >= 0) {
                    String length = parseHead(text.substring(0, headEnd)).header("content-length");
                    contentLength = length == null ? -1 : Long.parseLong(length);
                }
                if (headEnd >= 0 && contentLength >= 0 && all.size() - headEnd - 4 >= contentLength) {
                    break;
                }
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            // a server that keeps the connection open, or resets it after answering: use what arrived
        }
        String text = all.toString(StandardCharsets.ISO_8859_1);
        if (headEnd < 0) {
            throw new IOException("no complete response head: " + text);
        }
        Response head = parseHead(text.substring(0, headEnd));
        String body = new String(all.toByteArray(), headEnd + 4, all.size() - headEnd - 4, StandardCharsets.UTF_8);
        return new Response(head.status(), head.headers(), body);
    }

    private static Response parseHead(String head) {
        String[] lines = head.split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ", 3)[1]);
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
        }
        return new Response(status, headers, "");
    }
}
