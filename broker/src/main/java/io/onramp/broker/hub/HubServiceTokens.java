package io.onramp.broker.hub;

import io.onramp.certs.sas.SasToken;
import io.onramp.certs.sas.SasTokenException;
import io.onramp.certs.sas.SasTokenVerifier;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Checks the token of a hub's service side: {@code sr} is the hub (or a path below it),
 * {@code skn=iothubowner}, signed with the hub's owner key, not expired, as the Azure service SDKs sign.
 */
public final class HubServiceTokens {

    public static final String OWNER_POLICY = "iothubowner";

    private final SasTokenVerifier verifier;

    public HubServiceTokens(SasTokenVerifier verifier) {
        this.verifier = verifier;
    }

    /** Null when the token is good for the whole hub, else why not (for the log only): what a telemetry consumer needs. */
    public String refusal(HostedHub hub, String authorization) {
        return refusal(hub, authorization, "");
    }

    /**
     * Null when the token is good for {@code path} of the hub (a REST path such as {@code /devices/d1}, or "" for the
     * whole hub), else why not. As on IoT Hub, the token's {@code sr} must be a prefix of the resource: a token made
     * for one device ({@code {hub}/devices/d1}, spec 2.1) must not open the registry or the hub's telemetry.
     */
    public String refusal(HostedHub hub, String authorization, String path) {
        if (authorization == null) {
            return "no token";
        }
        SasToken token;
        try {
            token = SasToken.parse(authorization);
        } catch (SasTokenException e) {
            return "malformed token: " + e.getMessage();
        }
        String resource = token.decodedResource().toLowerCase(Locale.ROOT);
        String host = HostedHubs.key(hub.hostName());
        if (!(resource.equals(host) || resource.startsWith(host + "/")) || !OWNER_POLICY.equals(token.keyName())) {
            return "token is not for " + host + " with " + OWNER_POLICY;
        }
        String requested = (host + path).toLowerCase(Locale.ROOT);
        if (!resource.equals(host) && !(requested.equals(resource) || requested.startsWith(resource + "/"))) {
            return "token is for " + resource + " only, not " + requested;
        }
        SasTokenVerifier.Verdict verdict = verifier.verify(token, List.of(hub.ownerKey()));
        return verdict == SasTokenVerifier.Verdict.VALID ? null : "token " + verdict.name().toLowerCase(Locale.ROOT);
    }

    /** When a token {@link #refusal} accepted runs out (its {@code se}, before any allowed clock skew). */
    public static Instant expiry(String authorization) {
        return Instant.ofEpochSecond(SasToken.parse(authorization).expiresAtEpochSecond());
    }
}
