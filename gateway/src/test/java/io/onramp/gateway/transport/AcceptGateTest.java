package io.onramp.gateway.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real sockets against a Vert.x server on the gated transport: the server says hello to every connection it
 * admits, so a client that reads the hello was admitted and one that reads the end of the stream was not.
 */
class AcceptGateTest {

    private static final String SERVER = "127.0.0.224";
    private static final String CLIENT_A = "127.0.0.236";
    private static final String CLIENT_B = "127.0.0.237";

    private Vertx vertx;
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (Socket socket : sockets) {
            socket.close();
        }
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void oneAddressGetsAtMostItsShareAndOthersStillGetIn() throws Exception {
        AcceptGate gate = new AcceptGate(new ConnectionLimits(100, 3, "a test"));
        int port = serve(gate);
        for (int i = 0; i < 3; i++) {
            assertThat(admitted(CLIENT_A, port)).as("connection %d from A", i + 1).isTrue();
        }

        assertThat(admitted(CLIENT_A, port)).as("a fourth from A").isFalse();
        assertThat(admitted(CLIENT_B, port)).as("one from B").isTrue();
        assertThat(gate.refusedOverPerAddress()).isEqualTo(1);

        sockets.get(0).close();
        assertThat(eventually(() -> admitted(CLIENT_A, port))).as("A again, once one of its own closed").isTrue();
    }

    @Test
    void theGatewayHoldsAtMostMaxOverAllAddresses() throws Exception {
        AcceptGate gate = new AcceptGate(new ConnectionLimits(2, 10, "a test"));
        int port = serve(gate);
        assertThat(admitted(CLIENT_A, port)).isTrue();
        assertThat(admitted(CLIENT_B, port)).isTrue();

        assertThat(admitted(CLIENT_B, port)).isFalse();
        assertThat(gate.open()).isEqualTo(2);
        assertThat(gate.refusedOverMax()).isEqualTo(1);

        sockets.get(1).close();
        assertThat(eventually(() -> admitted(CLIENT_A, port))).isTrue();
    }

    private int serve(AcceptGate gate) throws Exception {
        vertx = Vertx.builder().withTransport(GatedTransports.transport(gate)).build();
        NetServer server = vertx.createNetServer(new NetServerOptions().setHost(SERVER).setPort(0))
                .connectHandler(socket -> socket.write("hello"));
        server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return server.actualPort();
    }

    /** Connects from {@code clientAddress}; true if the server said hello, false if it closed the connection. */
    private boolean admitted(String clientAddress, int port) throws IOException {
        Socket socket = new Socket();
        sockets.add(socket);
        socket.bind(new InetSocketAddress(InetAddress.getByName(clientAddress), 0));
        socket.connect(new InetSocketAddress(SERVER, port), 5_000);
        socket.setSoTimeout(5_000);
        InputStream in = socket.getInputStream();
        try {
            return in.read() == 'h';
        } catch (SocketTimeoutException e) {
            throw new AssertionError("neither admitted nor closed", e);
        } catch (IOException reset) {
            return false;
        }
    }

    private interface Attempt {
        boolean get() throws IOException;
    }

    /** A close is counted once the server's event loop sees it: try for a while. */
    private static boolean eventually(Attempt attempt) throws Exception {
        for (int i = 0; i < 50; i++) {
            if (attempt.get()) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }
}
