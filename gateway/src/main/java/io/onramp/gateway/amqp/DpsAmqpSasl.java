package io.onramp.gateway.amqp;

import io.onramp.certs.x509.PeerCertificates;
import io.onramp.gateway.error.ProvisioningException;
import io.onramp.gateway.provisioning.DeviceCredential;
import io.onramp.gateway.provisioning.ProvisioningService;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetSocket;
import io.vertx.proton.ProtonConnection;
import io.vertx.proton.impl.ProtonConnectionImpl;
import io.vertx.proton.sasl.ProtonSaslAuthenticator;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.apache.qpid.proton.engine.Sasl;
import org.apache.qpid.proton.engine.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SASL layer of one connection (dps-device-protocol.md 8.1, 8.2). Symmetric-key devices send {@code AMQP 3 1 0 0}
 * and SASL PLAIN: user {@code {idScope}/registrations/{registrationId}}, password a SAS token, which the provisioning
 * core verifies exactly as for HTTPS and MQTT (outcome {@code auth} when it does not). X.509 devices skip SASL
 * ({@code AMQP 0 1 0 0}) and present a TLS client certificate instead; both headers are taken on the one port.
 *
 * <p>TPM devices use the custom mechanism {@code TPM} (spec 8.4), a few steps long: {@link DpsAmqpTpmSasl}.
 */
final class DpsAmqpSasl implements ProtonSaslAuthenticator {

    private static final Logger LOG = LoggerFactory.getLogger(DpsAmqpSasl.class);
    static final String PLAIN = "PLAIN";
    /** IoT hub devices: Java's ANONYMOUS, C's MSSBCBS, both "I prove who I am later, with a CBS put-token" (hub spec 4.1). */
    static final String ANONYMOUS = "ANONYMOUS";
    static final String MSSBCBS = "MSSBCBS";

    private final Vertx vertx;
    private final ProvisioningService provisioning;
    private final AmqpLimits limits;
    private Sasl sasl;
    private NetSocket socket;
    private ProtonConnection connection;
    private AmqpHandshake handshake;
    private DpsAmqpTpmSasl tpm;
    private boolean succeeded;

    DpsAmqpSasl(Vertx vertx, ProvisioningService provisioning, AmqpLimits limits) {
        this.vertx = vertx;
        this.provisioning = provisioning;
        this.limits = limits;
    }

    @Override
    public void init(NetSocket socket, ProtonConnection connection, Transport transport) {
        this.socket = socket;
        this.connection = connection;
        this.handshake = AmqpHandshake.start(vertx, connection, socket.remoteAddress(), socket.localAddress(),
                socket.indicatedServerName(), () -> {
            LOG.info("AMQP from {}: no AMQP open within {} s of connecting; closed", socket.remoteAddress(),
                    limits.handshake().toSeconds());
            socket.close();
        }, limits);
        sasl = transport.sasl();
        sasl.server();
        // X.509 devices send no SASL header at all (spec 8.1): a client certificate stands in for it, checked below.
        sasl.allowSkip(true);
        sasl.setMechanisms(PLAIN, DpsAmqpTpmSasl.MECHANISM, ANONYMOUS, MSSBCBS);
    }

    /** Called on every read until it says done; the socket is paused until it answers. */
    @Override
    public void process(Handler<Boolean> done) {
        String[] mechanisms = sasl.getRemoteMechanisms();
        if (mechanisms.length > 0) {
            if (ANONYMOUS.equals(mechanisms[0]) || MSSBCBS.equals(mechanisms[0])) {
                // Any initial response (a trace string, or none) is ignored; only the put-token counts.
                if (sasl.pending() > 0) {
                    sasl.recv(new byte[sasl.pending()], 0, sasl.pending());
                }
                accept(peerByCertificate(), done);
                return;
            }
            if (sasl.pending() <= 0) {
                done.handle(false); // part of a frame, or between the TPM steps
                return;
            }
            byte[] response = new byte[sasl.pending()];
            sasl.recv(response, 0, response.length);
            if (PLAIN.equals(mechanisms[0])) {
                plain(response, done);
            } else if (DpsAmqpTpmSasl.MECHANISM.equals(mechanisms[0])) {
                tpm(response, done);

            } else {
                refuse("SASL mechanism " + mechanisms[0] + " is not served", done);
            }
            return;
        }
        if (connection.getRemoteContainer() != null) {
            // The open arrived without a SASL layer: only a TLS client certificate can vouch for this device.
            handshake.authenticated(peerByCertificate());
            succeeded = true;
            done.handle(true);
            return;
        }
        done.handle(false);
    }

    /** A client certificate vouches for an X.509 device; without one, only a later CBS put-token can. */
    private DpsAmqpPeer peerByCertificate() {
        List<X509Certificate> chain = PeerCertificates.of(socket.sslSession());
        return chain.isEmpty() ? new DpsAmqpPeer.Anonymous() : new DpsAmqpPeer.Certificate(chain);
    }

    private void tpm(byte[] response, Handler<Boolean> done) {
        if (tpm == null) {
            tpm = new DpsAmqpTpmSasl(provisioning, handshake.clientAddress());
        }
        Context context = vertx.getOrCreateContext();
        tpm.next(response).onComplete(outcome -> OnContext.run(context, () -> {
            DpsAmqpTpmSasl.Step step = outcome.succeeded() ? outcome.result()
                    : DpsAmqpTpmSasl.Step.refused(String.valueOf(outcome.cause()));
            if (step.challenge() != null) {
                sasl.send(step.challenge(), 0, step.challenge().length);
                // An answer after an asynchronous step is not flushed by vertx-proton, which only flushes after reads.
                ((ProtonConnectionImpl) connection).flush();
                done.handle(false);
            } else if (step.peer() != null) {
                accept(step.peer(), done);
            } else {
                refuse(step.refusal(), step.cause(), done);
            }
        }));
    }

    /** RFC 4616: authzid NUL authcid NUL passwd; authzid is empty from every SDK and ignored. */
    private void plain(byte[] response, Handler<Boolean> done) {
        String[] fields = new String(response, StandardCharsets.UTF_8).split("\0", -1);
        if (fields.length != 3) {
            refuse("SASL PLAIN response is not authzid NUL authcid NUL password", done);
            return;
        }
        String user = fields[1];
        String token = fields[2];
        Optional<DpsLinkAddress> registration = DpsLinkAddress.parse(user);
        int sas = user.indexOf("@sas.");
        if (registration.isEmpty() && sas > 0) {
            accept(new DpsAmqpPeer.HubPlain(user.substring(0, sas), token), done);
            return;
        }
        if (registration.isEmpty() || user.contains("://")) {
            // Told at the open what Onramp serves; nothing is verified and nothing but that close happens.
            accept(new DpsAmqpPeer.NotServed(user), done);
            return;
        }
        Context context = vertx.getOrCreateContext();
        provisioning.authenticate(handshake.clientAddress(), registration.get().idScope(),
                        registration.get().registrationId(), new DeviceCredential.Sas(token))
                .onComplete(outcome -> OnContext.run(context, () -> {
                    if (outcome.succeeded()) {
                        accept(new DpsAmqpPeer.Sas(registration.get(), token), done);
                    } else {
                        refuse("SASL PLAIN for " + user + ": " + outcome.cause().getMessage(), outcome.cause(), done);
                    }
                }));
    }

    private void accept(DpsAmqpPeer peer, Handler<Boolean> done) {
        handshake.authenticated(peer);
        succeeded = true;
        sasl.done(Sasl.SaslOutcome.PN_SASL_OK);
        done.handle(true);
    }

    /** Outcome {@code auth}: vertx-proton sends it and closes the socket. */
    private void refuse(String why, Handler<Boolean> done) {
        refuse(why, null, done);
    }

    /**
     * {@code auth} for a credential that proves nothing, {@code sys-temp} when the core answered 429001 (the client
     * may come back); {@code cause} is the core's refusal, if it refused.
     */
    private void refuse(String why, Throwable cause, Handler<Boolean> done) {
        boolean temporary = ProvisioningException.throttled(cause);
        LOG.atLevel(ProvisioningException.refusalLevel(cause)).log(
                "AMQP from {}: {} -> SASL outcome {}", socket.remoteAddress(), why, temporary ? "sys-temp" : "auth");
        handshake.closed();
        sasl.done(temporary ? Sasl.SaslOutcome.PN_SASL_TEMP : Sasl.SaslOutcome.PN_SASL_AUTH);
        done.handle(true);
    }

    @Override
    public boolean succeeded() {
        return succeeded;
    }
}
