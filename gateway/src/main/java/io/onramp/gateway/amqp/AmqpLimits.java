package io.onramp.gateway.amqp;

import java.time.Duration;

/**
 * What one AMQP connection may take: every unauthenticated or misbehaving client costs at most this much.
 *
 * @param maxFrameBytes the largest frame we accept (and send); AMQP's floor is 512
 * @param maxMessageBytes the largest request message; a larger one detaches its link with
 *     {@code amqp:link:message-size-exceeded}. DPS requests are a few hundred bytes; 64 KiB is also what the C SDK
 *     takes as its own receiver's maximum (spec 8.7)
 * @param idleTimeout how long a connection may stay silent after its open (it is told half of it as its heartbeat)
 * @param handshake how long from TCP accept to the AMQP open, SASL included. Java's TPM SASL handler waits up to 60 s
 *     before its last step (spec 8.4), so this stays above that
 * @param maxSessions sessions per DPS connection: every SDK opens one
 * @param maxLinks links per DPS connection: every SDK attaches two
 * @param maxRequestsInFlight link credit on the DPS request link: requests received and not yet answered
 * @param maxHubSessions sessions per IoT hub connection before any device proved itself; each device proved adds one.
 *     Java's MultiplexingClient opens one for CBS and one per device before it puts any token, so this bounds how many
 *     devices it can multiplex on one connection (63), and what an anonymous client can hold
 * @param maxHubLinks links per IoT hub connection before any device proved itself ($cbs both ways, then a device's
 *     telemetry, cloud-to-device, twin and methods); each device proved adds eight
 * @param maxHubMessageBytes the largest message a device may send the hub: bigger ones detach the link. Over the hub's
 *     256 KiB (counted as Azure does, by the session) they are rejected one by one; this bounds what is read to decide
 * @param hubLinkCredit credit on each of a device's sending links: messages received and not yet settled
 */
record AmqpLimits(int maxFrameBytes, int maxMessageBytes, Duration idleTimeout, Duration handshake, int maxSessions,
        int maxLinks, int maxRequestsInFlight, int maxHubSessions, int maxHubLinks, int maxHubMessageBytes,
        int hubLinkCredit) {

    static final AmqpLimits DEFAULTS = new AmqpLimits(32 * 1024, 64 * 1024, Duration.ofSeconds(240), Duration.ofSeconds(75),
            2, 4, 10, 64, 16, 1024 * 1024, 64);

    AmqpLimits withHandshake(Duration handshake) {
        return new AmqpLimits(maxFrameBytes, maxMessageBytes, idleTimeout, handshake, maxSessions, maxLinks,
                maxRequestsInFlight, maxHubSessions, maxHubLinks, maxHubMessageBytes, hubLinkCredit);
    }
}
