package io.onramp.gateway.cli;

import io.onramp.broker.hub.HubException;
import io.onramp.certs.sas.SasTokenSigner;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.certs.text.PercentCodec;
import io.onramp.gateway.config.ConfigLoader;
import io.onramp.gateway.config.GatewayConfig;
import io.onramp.gateway.config.GatewayConfig.HubConfig;
import io.onramp.gateway.http.HubServiceAuthenticator;
import io.onramp.gateway.hub.HubRestClient;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@code onramp token --hub HUB [--device-id ID] [--ttl SECONDS]}: a SAS token for a hub's service side, signed
 * with its owner policy (the telemetry consumer's MQTT password, the registry API's Authorization), or with
 * {@code --device-id} for one of its devices, signed with the device's own key as read from the hub's registry
 * (the MQTT password of a device tried by hand, with mosquitto_pub say).
 */
public final class TokenCommand {

    private static final String USAGE = "usage: onramp token --hub HUB [--device-id ID] [--ttl SECONDS] [--config FILE]"
            + "   (a hub's service token, or a device's; valid for 3600 s unless --ttl)";
    private static final long DEFAULT_TTL_SECONDS = 3600;
    private static final long MAX_TTL_SECONDS = 365L * 24 * 3600;

    private final Console console;

    public TokenCommand(Console console) {
        this.console = console;
    }

    public int run(Arguments args) throws Exception {
        if (args.asksForHelp(1)) {
            console.println(USAGE);
            return 0;
        }
        args.refuseWordsAfter(1);
        if (args.flag("hub") == null) {
            console.error(USAGE);
            return 2;
        }
        long expiry = Instant.now().getEpochSecond() + ttl(args.flag("ttl"));
        GatewayConfig config = ConfigLoader.forThisProcess().load(args.config());
        Optional<HubConfig> found = HubConnections.find(config, args.flag("hub"));
        if (found.isEmpty()) {
            console.error("onramp: no hub named " + args.flag("hub"));
            return 1;
        }
        HubConfig hub = found.get();
        String deviceId = args.flag("device-id");
        if (deviceId == null) {
            console.println(hub.hosted()
                    ? SasTokenSigner.sign(hub.hostName(), expiry, SymmetricKeys.decode(hub.ownerKey()),
                            HubServiceAuthenticator.OWNER_POLICY)
                    : SasTokenSigner.sign(hub.hostName(), expiry, SymmetricKeys.decode(hub.remote().key()),
                            hub.remote().keyName()));
            return 0;
        }
        JsonObject device;
        try {
            device = deviceAt(config, hub, deviceId);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof HubException h && h.status() == 404) {
                console.error("onramp: device " + deviceId + " is not registered at hub " + hub.hostName());
                return 1;
            }
            throw e;
        }
        JsonObject authentication = device.getJsonObject("authentication", new JsonObject());
        String key = authentication.getJsonObject("symmetricKey", new JsonObject()).getString("primaryKey");
        if (!"sas".equals(authentication.getString("type")) || key == null || key.isEmpty()) {
            console.error("onramp: device " + deviceId + " authenticates with " + authentication.getString("type")
                    + ", not with SAS tokens");
            return 1;
        }
        // sr as the device SDKs send it: the resource URL-encoded.
        console.println(SasTokenSigner.sign(PercentCodec.encode(hub.hostName() + "/devices/" + deviceId), expiry,
                SymmetricKeys.decode(key), null));
        return 0;
    }

    private static long ttl(String value) {
        if (value == null) {
            return DEFAULT_TTL_SECONDS;
        }
        try {
            long seconds = Long.parseLong(value);
            if (seconds >= 1 && seconds <= MAX_TTL_SECONDS) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("--ttl must be a number of seconds from 1 to " + MAX_TTL_SECONDS);
    }

    private static JsonObject deviceAt(GatewayConfig config, HubConfig hub, String deviceId) throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            return HubConnections.get(vertx, config, hub, "/devices/" + HubRestClient.segment(deviceId)).map(JsonObject::new)
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } finally {
            vertx.close();
        }
    }
}
