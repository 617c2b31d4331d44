package io.onramp.gateway.http;

import io.onramp.certs.sas.SasToken;
import io.onramp.certs.sas.SasTokenException;
import io.onramp.certs.sas.SasTokenVerifier;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.config.GatewayConfig.HubConfig;
import io.onramp.gateway.error.ProvisioningException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Authenticates the service side of a hub hosted here: a SAS token for the hub (sr = host name,
 * or a path below it) signed with the hub's {@code iothubowner} key, as the Azure service SDKs sign.
 */
public final class HubServiceAuthenticator {

    public static final String OWNER_POLICY = "iothubowner";

    private final List<HubConfig> hubs;
    private final SasTokenVerifier verifier;

    public HubServiceAuthenticator(List<HubConfig> hubs, SasTokenVerifier verifier) {
        this.hubs = hubs;
        this.verifier = verifier;
    }

    /** Returns the hub the request is for (by Host), if the token is valid for it; hubs hosted elsewhere are not served. */
    public HubConfig authenticate(String host, String authorization) {
        HubConfig hub = find(host).orElseThrow(() -> ProvisioningException.unauthorized("no hub is hosted as " + host));
        if (authorization == null) {
            throw ProvisioningException.unauthorized("no token for hub " + hub.hostName());
        }
        SasToken token;
        try {
            token = SasToken.parse(authorization);
        } catch (SasTokenException e) {
            throw ProvisioningException.unauthorized("malformed hub token: " + e.getMessage());
        }
        String resource = token.decodedResource().toLowerCase(Locale.ROOT);
        String hubHost = hub.hostName().toLowerCase(Locale.ROOT);
        if (!(resource.equals(hubHost) || resource.startsWith(hubHost + "/")) || !OWNER_POLICY.equals(token.keyName())) {
            throw ProvisioningException.unauthorized("hub token is not for " + hubHost + " with " + OWNER_POLICY);
        }
        if (verifier.verify(token, List.of(SymmetricKeys.decode(hub.ownerKey()))) != SasTokenVerifier.Verdict.VALID) {
            throw ProvisioningException.unauthorized("hub token does not verify for " + hubHost);
        }
        return hub;
    }

    private Optional<HubConfig> find(String host) {
        return host == null ? Optional.empty()
                : hubs.stream().filter(h -> h.hosted() && h.hostName().equalsIgnoreCase(host)).findFirst();
    }
}
