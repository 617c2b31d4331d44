package io.onramp.gateway.http;

import io.onramp.broker.hub.HostedHub;
import io.onramp.broker.hub.HubServiceTokens;
import io.onramp.certs.sas.SasTokenVerifier;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.config.GatewayConfig.HubConfig;
import io.onramp.gateway.error.ProvisioningException;
import java.util.List;
import java.util.Optional;

/**
 * Authenticates the service side of a hub hosted here: a SAS token for the hub (sr = host name,
 * or a path below it) signed with the hub's {@code iothubowner} key, as the Azure service SDKs sign.
 */
public final class HubServiceAuthenticator {

    public static final String OWNER_POLICY = HubServiceTokens.OWNER_POLICY;

    private volatile List<HubConfig> hubs;
    private final HubServiceTokens tokens;

    public HubServiceAuthenticator(List<HubConfig> hubs, SasTokenVerifier verifier) {
        this.hubs = List.copyOf(hubs);
        this.tokens = new HubServiceTokens(verifier);
    }

    /** The config file's hubs changed (an owner key rotated): requests from now on are checked against these. */
    public void useHubs(List<HubConfig> changed) {
        this.hubs = List.copyOf(changed);
    }

    /** Returns the hub the request is for (by Host), if the token is valid for it; hubs hosted elsewhere are not served. */
    public HubConfig authenticate(String host, String authorization, String path) {
        HubConfig hub = find(host).orElseThrow(() -> ProvisioningException.unauthorized("no hub is hosted as " + host));
        // The same check as the hub's MQTT consumers get, so both service doors open with the same token.
        String refusal = tokens.refusal(new HostedHub(hub.hostName(), SymmetricKeys.decode(hub.ownerKey())), authorization,
                path);
        if (refusal != null) {
            throw ProvisioningException.unauthorized("hub " + hub.hostName() + ": " + refusal);
        }
        return hub;
    }

    /** Whether a hub is hosted here as {@code host}: its requests get IoT Hub's answers, errors included. */
    public boolean hosts(String host) {
        return find(host).isPresent();
    }

    private Optional<HubConfig> find(String host) {
        return host == null ? Optional.empty()
                : hubs.stream().filter(h -> h.hosted() && h.hostName().equalsIgnoreCase(host)).findFirst();
    }
}
