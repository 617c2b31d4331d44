package io.onramp.gateway.amqp;

import io.onramp.broker.hub.HubDevices;
import io.onramp.gateway.provisioning.ProvisioningService;

/**
 * What AMQP connections reach, on the AMQP listener and over WebSockets alike: the provisioning core (DPS links) and
 * the hubs hosted here (IoT hub device links); {@code hubs} null serves DPS alone.
 */
public record AmqpRealms(ProvisioningService provisioning, HubDevices hubs) {}
