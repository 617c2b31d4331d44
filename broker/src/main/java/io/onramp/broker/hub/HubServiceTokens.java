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

    /** Null when the token is good for the hub, else why not (for the log only). */
    public String refusal(HostedHub hub, String authorization) {
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
        SasTokenVerifier.Verdict verdict = verifier.verify(token, List.of(hub.ownerKey()));
        return verdict == SasTokenVerifier.Verdict.VALID ? null : "token " + verdict.name().toLowerCase(Locale.ROOT);
    }

    /** When a token {@link #refusal} accepted runs out (its {@code se}, before any allowed clock skew). */
    public static Instant expiry(String authorization) {
        return Instant.ofEpochSecond(SasToken.parse(authorization).expiresAtEpochSecond());
    }
}
