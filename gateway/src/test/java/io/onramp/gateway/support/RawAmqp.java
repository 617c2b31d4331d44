package io.onramp.gateway.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.apache.qpid.proton.Proton;
import org.apache.qpid.proton.amqp.Binary;
import org.apache.qpid.proton.amqp.messaging.Accepted;
import org.apache.qpid.proton.amqp.messaging.ApplicationProperties;
import org.apache.qpid.proton.amqp.messaging.Data;
import org.apache.qpid.proton.amqp.messaging.Source;
import org.apache.qpid.proton.amqp.messaging.Target;
import org.apache.qpid.proton.amqp.transport.DeliveryState;
import org.apache.qpid.proton.amqp.transport.ErrorCondition;
import org.apache.qpid.proton.engine.Connection;
import org.apache.qpid.proton.engine.Delivery;
import org.apache.qpid.proton.engine.EndpointState;
import org.apache.qpid.proton.engine.Link;
import org.apache.qpid.proton.engine.Receiver;
import org.apache.qpid.proton.engine.Sasl;
import org.apache.qpid.proton.engine.Sender;
import org.apache.qpid.proton.engine.Session;
import org.apache.qpid.proton.engine.Transport;
import org.apache.qpid.proton.message.Message;

/**
 * An AMQP 1.0 client that sends what a test says, for the bad paths no SDK takes: proton-j's engine over a blocking
 * TLS socket, with SASL PLAIN or with no SASL layer at all (as X.509 devices connect), and links to any address.
 */
public final class RawAmqp implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final SSLSocket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Transport transport = Proton.transport();
    private final Connection connection = Proton.connection();
    private final Session session;
    private boolean ended;
    private int tags;

    private RawAmqp(SSLSocket socket, java.util.function.Consumer<Sasl> sasl) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
        socket.setSoTimeout(50);
        if (sasl != null) {
            Sasl client = transport.sasl();
            client.client();
            sasl.accept(client);
        }
        transport.bind(connection);
        connection.setContainer("raw-amqp-test");
        connection.setHostname(socket.getInetAddress().getHostAddress());
        connection.open();
        session = connection.session();
        session.open();
    }

    /** SASL PLAIN with {@code user} and {@code password}; no SASL layer at all when {@code user} is null. */
    public static RawAmqp connect(TestGateway gateway, SSLContext tls, String user, String password) throws IOException {
        return connect(gateway, tls, user == null ? null : sasl -> sasl.plain(user, password));
    }

    /** As {@link #connect(TestGateway, SSLContext, String, String)}, from the local address {@code source}. */
    public static RawAmqp connectFrom(TestGateway gateway, SSLContext tls, String source, String user, String password)
            throws IOException {
        SSLSocket socket = TestTls.connectFrom(tls, source, gateway.address(), TestGateway.AMQPS_PORT);
        return new RawAmqp(socket, user == null ? null : sasl -> sasl.plain(user, password));
    }

    /** Over a TLS socket already connected (to a listener of a test's own), with no SASL layer. */
    public static RawAmqp over(SSLSocket socket) throws IOException {
        socket.startHandshake();
        return new RawAmqp(socket, null);
    }

    /** SASL with {@code mechanism} and its initial response; the challenges then with {@link #challenge}. */
    public static RawAmqp connectSasl(TestGateway gateway, SSLContext tls, String mechanism, byte[] initialResponse)
            throws IOException {
        return connect(gateway, tls, sasl -> {
            sasl.setMechanisms(mechanism);
            sasl.send(initialResponse, 0, initialResponse.length);
        });
    }

    private static RawAmqp connect(TestGateway gateway, SSLContext tls, java.util.function.Consumer<Sasl> sasl)
            throws IOException {
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(gateway.address(), TestGateway.AMQPS_PORT);
        socket.startHandshake();
        return new RawAmqp(socket, sasl);
    }

    /** The server's next SASL challenge, or null when SASL ended (or nothing came) instead. */
    public byte[] challenge() throws IOException {
        Sasl sasl = transport.sasl();
        pump(() -> sasl.pending() > 0 || sasl.getOutcome() != Sasl.SaslOutcome.PN_SASL_NONE);
        if (sasl.pending() <= 0) {
            return null;
        }
        byte[] challenge = new byte[sasl.pending()];
        sasl.recv(challenge, 0, challenge.length);
        return challenge;
    }

    /** Answers a SASL challenge. */
    public void respond(byte[] response) throws IOException {
        transport.sasl().send(response, 0, response.length);
        pump(() -> true);
    }

    /** Waits for the server's open (or close); false when the socket ended first. */
    public boolean opened() throws IOException {
        pump(() -> connection.getRemoteState() != EndpointState.UNINITIALIZED);
        return connection.getRemoteState() != EndpointState.UNINITIALIZED;
    }

    public Sasl.SaslOutcome saslOutcome() throws IOException {
        pump(() -> transport.sasl().getOutcome() != Sasl.SaslOutcome.PN_SASL_NONE);
        return transport.sasl().getOutcome();
    }

    /** The condition the server closed the connection with, once it did (null while it has not). */
    public ErrorCondition closedWith() throws IOException {
        pump(() -> connection.getRemoteState() == EndpointState.CLOSED);
        return connection.getRemoteState() == EndpointState.CLOSED ? connection.getRemoteCondition() : null;
    }

    /** True once the server ended the socket. */
    public boolean socketEnded() throws IOException {
        pump(() -> false);
        return ended;
    }

    public Sender sender(String address) throws IOException {
        Sender sender = session.sender("raw-sender-" + tags++);
        Target target = new Target();
        target.setAddress(address);
        sender.setTarget(target);
        sender.setSource(new Source());
        sender.open();
        attached(sender);
        return sender;
    }

    public Receiver receiver(String address) throws IOException {
        Receiver receiver = session.receiver("raw-receiver-" + tags++);
        Source source = new Source();
        source.setAddress(address);
        receiver.setSource(source);
        receiver.setTarget(new Target());
        receiver.open();
        attached(receiver);
        receiver.flow(10);
        return receiver;
    }

    private void attached(Link link) throws IOException {
        pump(() -> link.getRemoteState() != EndpointState.UNINITIALIZED || connection.getRemoteState() == EndpointState.CLOSED);
    }

    /** The condition the server detached {@code link} with, once it did (null while it is attached). */
    public ErrorCondition detachedWith(Link link) throws IOException {
        pump(() -> link.getRemoteState() == EndpointState.CLOSED || connection.getRemoteState() == EndpointState.CLOSED);
        return link.getRemoteState() == EndpointState.CLOSED ? link.getRemoteCondition() : null;
    }

    /** Detaches {@code link} (closing it), as a client that is done does; true once the server detached it in answer. */
    public boolean detach(Link link) throws IOException {
        link.close();
        pump(() -> link.getRemoteState() == EndpointState.CLOSED || connection.getRemoteState() == EndpointState.CLOSED);
        return link.getRemoteState() == EndpointState.CLOSED;
    }

    /** Ends the session all links are on; true once the server ended it in answer. */
    public boolean endSession() throws IOException {
        return endSession(session);
    }

    /** Begins one more session beside the first; it is answered with a begin, and with an end if refused. */
    public Session beginSession() throws IOException {
        Session another = connection.session();
        another.open();
        pump(() -> another.getRemoteState() != EndpointState.UNINITIALIZED || connection.getRemoteState() == EndpointState.CLOSED);
        return another;
    }

    /** The condition the server ended {@code another} with at once, or null if it holds it open. */
    public ErrorCondition refusedWith(Session another) throws IOException {
        pump(() -> another.getRemoteState() == EndpointState.CLOSED || connection.getRemoteState() == EndpointState.CLOSED);
        return another.getRemoteState() == EndpointState.CLOSED ? another.getRemoteCondition() : null;
    }

    /** Ends {@code another}; true once the server ended it in answer (or had ended it already). */
    public boolean endSession(Session another) throws IOException {
        another.close();
        pump(() -> another.getRemoteState() == EndpointState.CLOSED || connection.getRemoteState() == EndpointState.CLOSED);
        return another.getRemoteState() == EndpointState.CLOSED && connection.getRemoteState() != EndpointState.CLOSED;
    }

    /** A DPS request: the operation type (and id) as application properties, {@code body} as one data section. */
    public static Message request(Map<String, Object> properties, String body) {
        Message message = Proton.message();
        message.setApplicationProperties(new ApplicationProperties(properties));
        if (body != null) {
            message.setBody(new Data(new Binary(body.getBytes(StandardCharsets.UTF_8))));
        }
        return message;
    }

    /** Sends unsettled and waits for the server's outcome. */
    public DeliveryState send(Sender sender, Message message) throws IOException {
        pump(() -> sender.getCredit() > 0 || sender.getRemoteState() == EndpointState.CLOSED);
        byte[] buffer = new byte[2 * 1024 * 1024];
        int length = message.encode(buffer, 0, buffer.length);
        Delivery delivery = sender.delivery(("tag-" + tags++).getBytes(StandardCharsets.UTF_8));
        sender.send(buffer, 0, length);
        sender.advance();
        pump(() -> delivery.getRemoteState() != null || sender.getRemoteState() == EndpointState.CLOSED);
        return delivery.getRemoteState();
    }

    /** The next message on {@code receiver}, accepted; null when none came in time. */
    public Message receive(Receiver receiver) throws IOException {
        pump(() -> receiver.current() != null && !receiver.current().isPartial());
        Delivery delivery = receiver.current();
        if (delivery == null || delivery.isPartial()) {
            return null;
        }
        byte[] bytes = new byte[delivery.pending()];
        int read = receiver.recv(bytes, 0, bytes.length);
        receiver.advance();
        delivery.disposition(Accepted.getInstance());
        delivery.settle();
        receiver.flow(1); // one more for the one taken, as a client that keeps reading does
        Message message = Proton.message();
        message.decode(bytes, 0, read);
        return message;
    }

    /** Moves bytes both ways until {@code done} or the socket ends or {@link #WAIT} passes. */
    private void pump(BooleanSupplier done) throws IOException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        byte[] buffer = new byte[16 * 1024];
        while (!done.getAsBoolean() && !ended && System.nanoTime() < deadline) {
            write();
            int read;
            try {
                read = in.read(buffer);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                read = -1;
            }
            if (read < 0) {
                ended = true;
                transport.close_tail();
                break;
            }
            for (int offset = 0; offset < read; ) {
                ByteBuffer tail = transport.tail();
                int chunk = Math.min(tail.remaining(), read - offset);
                tail.put(buffer, offset, chunk);
                transport.process();
                offset += chunk;
            }
        }
        write();
    }

    private void write() throws IOException {
        if (ended) {
            return;
        }
        while (transport.pending() > 0) {
            ByteBuffer head = transport.head();
            byte[] bytes = new byte[head.remaining()];
            head.get(bytes);
            try {
                out.write(bytes);
            } catch (IOException e) {
                ended = true;
                return;
            }
            transport.pop(bytes.length);
        }
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
