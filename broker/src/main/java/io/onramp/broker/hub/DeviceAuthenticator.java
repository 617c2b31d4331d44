package io.onramp.broker.hub;

import io.onramp.broker.mqtt.ConnectRefusedException;
import io.onramp.broker.registry.AuthType;
import io.onramp.broker.registry.DeviceIdentity;
import io.onramp.broker.registry.DeviceRegistry;
import io.onramp.broker.registry.DeviceStatus;
import io.onramp.certs.sas.SasToken;
import io.onramp.certs.sas.SasTokenException;
import io.onramp.certs.sas.SasTokenVerifier;
import io.vertx.core.Future;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Authenticates a device connecting to a hub (hub-device-protocol.md 2.2 and 6.4): the identity
 * must exist and be enabled, and the SAS token must be for this hub and device, signed with one of
 * its keys (or the hub's iothubowner policy token, spec 2.1) and unexpired; X.509 devices are checked by their certificate instead. Every refusal looks the same to the client (CONNACK 0x05); the reason is logged.
 */
public final class DeviceAuthenticator {

    private final DeviceRegistry registry;
    private final HostedHubs hubs;
    private final SasTokenVerifier verifier;
    private final CertificateAuthenticator certificates;

    public DeviceAuthenticator(DeviceRegistry registry, HostedHubs hubs, SasTokenVerifier verifier,
            CertificateAuthenticator certificates) {
        this.registry = registry;
        this.hubs = hubs;
        this.verifier = verifier;
        this.certificates = certificates;
    }

    /** A device let in, and when its token stops being valid (null when it used no token). */
    public record Authenticated(DeviceIdentity identity, Instant tokenExpiry) {}

    /**
     * X.509 devices send no password: their TLS client certificate ({@code chain}, leaf first) decides. The chain
     * is asked for only then: reading it from a session without a client certificate costs an exception.
     */
    public Future<Authenticated> authenticate(String hubHostName, String deviceId, String password,
            Supplier<List<X509Certificate>> chain) {
        return registry.find(hubHostName, deviceId).compose(found -> {
            if (found.isEmpty()) {
                return notRegistered(hubHostName, deviceId);
            }
            DeviceIdentity identity = found.get();
            if (identity.status() != DeviceStatus.ENABLED) {
                throw refused("device " + deviceId + " is disabled");
            }
            if (identity.authType() == AuthType.SELF_SIGNED || identity.authType() == AuthType.CERTIFICATE_AUTHORITY) {
                return certificates.check(hubHostName, identity, chain.get()).map(v -> new Authenticated(identity, null));
            }
            return Future.succeededFuture(checkSas(hubHostName, deviceId, password, identity));
        });
    }

    /**
     * Refuses a device the hub does not know, saying where it is registered if another hub here has it: the
     * usual cause is a device connecting to a hub other than the one DPS assigned it.
     */
    private Future<Authenticated> notRegistered(String hubHostName, String deviceId) {
        List<String> others = hubs.hostNames().stream().filter(h -> !h.equalsIgnoreCase(hubHostName)).toList();
        List<Future<Optional<DeviceIdentity>>> lookups = others.stream().map(h -> registry.find(h, deviceId)).toList();
        return Future.join(lookups).transform(done -> {
            List<String> registeredAt = new ArrayList<>();
            for (int i = 0; i < others.size(); i++) {
                Optional<DeviceIdentity> elsewhere = lookups.get(i).result();
                if (elsewhere != null && elsewhere.isPresent()) {
                    registeredAt.add(others.get(i));
                }
            }
            String reason = "device " + deviceId + " is not registered at hub " + hubHostName
                    + (registeredAt.isEmpty() ? "" : " (it is at hub " + String.join(", ", registeredAt) + ")");
            return Future.failedFuture(refused(reason));
        });
    }

    private Authenticated checkSas(String hubHostName, String deviceId, String password, DeviceIdentity identity) {
        if (identity.authType() != AuthType.SAS) {
            throw refused("device " + deviceId + " does not authenticate with SAS tokens");
        }
        if (password == null || password.isEmpty()) {
            throw refused("no SAS token from " + deviceId);
        }
        SasToken token;
        try {
            token = SasToken.parse(password);
        } catch (SasTokenException e) {
            throw refused("malformed SAS token from " + deviceId + ": " + e.getMessage());
        }
        List<byte[]> keys;
        String signer;
        if (token.keyName() == null) {
            checkAudience(token, hubHostName, deviceId);
            keys = keys(identity);
            signer = deviceId;
        } else {
            keys = policyKeys(token, hubHostName, deviceId);
            signer = token.keyName() + " for " + deviceId;
        }
        SasTokenVerifier.Verdict verdict = verifier.verify(token, keys);
        if (verdict != SasTokenVerifier.Verdict.VALID) {
            throw refused("SAS token of " + signer + ": " + verdict.name().toLowerCase(Locale.ROOT));
        }
        return new Authenticated(identity, Instant.ofEpochSecond(token.expiresAtEpochSecond()));
    }

    /** sr must be {hub}/devices/{deviceId}; edgeHub compares both without regard to case. */
    private static void checkAudience(SasToken token, String hubHostName, String deviceId) {
        String expected = hubHostName + "/devices/" + deviceId;
        if (!token.decodedResource().equalsIgnoreCase(expected)) {
            throw refused("SAS token audience " + token.decodedResource() + " is not " + expected);
        }
    }

    /**
     * A hub policy token (skn present) authorises any device of the hub when its policy has DeviceConnect and its
     * sr is a segment prefix of the device's: {hub}, {hub}/devices or {hub}/devices/{d} (spec 2.1). The only
     * policy of a hub hosted here is iothubowner, which has DeviceConnect; the token must be signed with its key.
     */
    private List<byte[]> policyKeys(SasToken token, String hubHostName, String deviceId) {
        if (!HubServiceTokens.OWNER_POLICY.equals(token.keyName())) {
            throw refused("SAS token of policy " + token.keyName() + " for " + deviceId + ": the hub's only policy is "
                    + HubServiceTokens.OWNER_POLICY);
        }
        String resource = token.decodedResource();
        String devices = hubHostName + "/devices";
        if (!(resource.equalsIgnoreCase(hubHostName) || resource.equalsIgnoreCase(devices)
                || resource.equalsIgnoreCase(devices + "/" + deviceId))) {
            throw refused("SAS token audience " + resource + " of policy " + token.keyName() + " is not " + hubHostName
                    + ", " + devices + " or " + devices + "/" + deviceId);
        }
        HostedHub hub = hubs.find(hubHostName).orElseThrow(() -> refused("no hub is hosted as " + hubHostName));
        return List.of(hub.ownerKey());
    }

    private static List<byte[]> keys(DeviceIdentity identity) {
        List<byte[]> keys = new ArrayList<>(2);
        for (String key : new String[] {identity.primaryKey(), identity.secondaryKey()}) {
            if (key != null && !key.isEmpty()) {
                try {
                    keys.add(Base64.getDecoder().decode(key));
                } catch (IllegalArgumentException e) {
                    // a corrupt stored key never matches
                }
            }
        }
        return keys;
    }

    private static ConnectRefusedException refused(String reason) {
        return ConnectRefusedException.notAuthorized(reason);
    }
}
