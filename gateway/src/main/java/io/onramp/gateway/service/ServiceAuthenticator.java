package io.onramp.gateway.service;

import io.onramp.certs.sas.SasToken;
import io.onramp.certs.sas.SasTokenException;
import io.onramp.certs.sas.SasTokenVerifier;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.config.GatewayConfig.AccessPolicy;
import io.onramp.gateway.config.GatewayConfig.Right;
import io.onramp.gateway.error.ProvisioningException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks a service API call's SAS token against the shared access policies (spec §2.2) and the
 * right the call needs (§2.3). Every failure is a 401 ("Unauthorized" for a bad token; a token
 * that is good but lacks the right says which right, since that tells the operator what to fix
 * and nothing an attacker could use).
 */
public final class ServiceAuthenticator {

    private static final String PREFIX = "SharedAccessSignature ";

    private volatile List<AccessPolicy> policies;
    private final SasTokenVerifier verifier;

    public ServiceAuthenticator(List<AccessPolicy> policies, SasTokenVerifier verifier) {
        this.policies = List.copyOf(policies);
        this.verifier = verifier;
    }

    /** The config file's policies changed (a key rotated, say): requests from now on are checked against these. */
    public void usePolicies(List<AccessPolicy> changed) {
        this.policies = List.copyOf(changed);
    }

    /**
     * @param host          the request's host name (Host header, no port)
     * @param path          the request path, for tokens scoped below the host
     * @param authorization the Authorization header, or null
     * @return the name of the policy that signed the token
     */
    public String authenticate(String host, String path, String authorization, Right needed) {
        if (authorization == null || !authorization.startsWith(PREFIX)) {
            throw ProvisioningException.unauthorized("service call without a SharedAccessSignature");
        }
        SasToken token;
        try {
            token = SasToken.parse(authorization);
        } catch (SasTokenException e) {
            throw ProvisioningException.unauthorized("malformed service token: " + e.getMessage());
        }
        AccessPolicy policy = policy(token.keyName())
                .orElseThrow(() -> ProvisioningException.unauthorized("no access policy named " + token.keyName()));
        SasTokenVerifier.Verdict verdict = verifier.verify(token, keys(policy));
        if (verdict != SasTokenVerifier.Verdict.VALID) {
            throw ProvisioningException.unauthorized(verdict == SasTokenVerifier.Verdict.EXPIRED
                    ? "expired service token for " + policy.name() : "service token does not verify for " + policy.name());
        }
        if (!coversRequest(token.decodedResource(), host, path)) {
            throw ProvisioningException.unauthorized("service token for " + token.resource() + " used on " + host + path);
        }
        if (!grants(policy, needed)) {
            throw new ProvisioningException(io.onramp.gateway.error.ErrorCode.UNAUTHORIZED,
                    "The access policy " + policy.name() + " lacks the " + needed + " right.",
                    "policy " + policy.name() + " lacks " + needed);
        }
        return policy.name();
    }

    /** A write right implies the matching read right (spec 2.3). */
    static boolean grants(AccessPolicy policy, Right needed) {
        if (policy.rights().contains(needed)) {
            return true;
        }
        return (needed == Right.EnrollmentRead && policy.rights().contains(Right.EnrollmentWrite))
                || (needed == Right.RegistrationStatusRead && policy.rights().contains(Right.RegistrationStatusWrite));
    }

    /**
     * Java signs the lower-cased, URL-encoded host, Node the host as written (spec 2.2); either way
     * the decoded, lower-cased resource must be the host or a segment-wise prefix of host + path.
     */
    static boolean coversRequest(String resource, String host, String path) {
        if (host == null) {
            return false;
        }
        String sr = resource.toLowerCase(Locale.ROOT);
        String target = (host + path).toLowerCase(Locale.ROOT);
        while (sr.endsWith("/")) {
            sr = sr.substring(0, sr.length() - 1);
        }
        return target.equals(sr) || target.startsWith(sr + "/");
    }

    private Optional<AccessPolicy> policy(String name) {
        return name == null ? Optional.empty()
                : policies.stream().filter(p -> p.name().equalsIgnoreCase(name)).findFirst();
    }

    private static List<byte[]> keys(AccessPolicy policy) {
        List<byte[]> keys = new ArrayList<>(2);
        keys.add(SymmetricKeys.decode(policy.primaryKey()));
        if (policy.secondaryKey() != null) {
            keys.add(SymmetricKeys.decode(policy.secondaryKey()));
        }
        return keys;
    }
}
