package dev.registrymesh.e2e.mirror;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A TCP relay on a loopback port that slows the answers of the server behind it to a fixed rate: a slow
 * upstream, so that a test can act while a fetch is still running.
 */
final class SlowLink implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final long bytesPerSecond;

    SlowLink(int targetPort, long bytesPerSecond) throws IOException {
        this.targetPort = targetPort;
        this.bytesPerSecond = bytesPerSecond;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread accept = new Thread(this::acceptLoop, "slow-link");
        accept.setDaemon(true);
        accept.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket target;
                try {
                    target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                } catch (IOException e) {
                    close(client); // the target is down: the client sees its connection refused at once
                    continue;
                }
                pipe(client.getInputStream(), target.getOutputStream(), 0, client, target);
                pipe(target.getInputStream(), client.getOutputStream(), bytesPerSecond, client, target);
            } catch (IOException e) {
                // closed, or the target is down: the client sees its connection close
            }
        }
    }

    private static void pipe(InputStream in, OutputStream out, long rate, Socket a, Socket b) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                    if (rate > 0) {
                        Thread.sleep(n * 1000L / rate);
                    }
                }
            } catch (IOException | InterruptedException e) {
                // one side went away
            } finally {
                close(a);
                close(b);
            }
        }, "slow-link-pipe");
        t.setDaemon(true);
        t.start();
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
