package io.onramp.gateway.cli;

import io.onramp.certs.sas.SasTokenSigner;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.config.ConfigLoader;
import io.onramp.gateway.config.GatewayConfig;
import io.onramp.gateway.config.GatewayConfig.HubConfig;
import io.onramp.gateway.http.HubServiceAuthenticator;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SocketAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code onramp devices list [--hub H]}: the IoT devices explorer. It asks the running gateway's hub
 * registry API, signed with each hub's owner key from the config, so it works while devices register.
 */
public final class DevicesCommand {

    private static final String FORMAT = "%-36s %-20s %-10s %-9s %s";

    private final Console console;

    public DevicesCommand(Console console) {
        this.console = console;
    }

    public int run(Arguments args) throws Exception {
        List<String> words = args.words();
        if (words.size() < 2 || !words.get(1).equals("list")) {
            console.error("usage: onramp devices list [--hub HOST] [--config FILE]");
            return 2;
        }
        GatewayConfig config = ConfigLoader.forThisProcess().load(args.config());
        String only = args.flag("hub");
        List<HubConfig> hubs = config.hubs().stream()
                .filter(h -> only == null || h.hostName().equalsIgnoreCase(only) || h.name().equalsIgnoreCase(only)).toList();
        if (hubs.isEmpty()) {
            console.error("onramp: no hub " + (only == null ? "is configured" : "named " + only));
            return 1;
        }
        Vertx vertx = Vertx.vertx();
        try {
            List<JsonObject> rows = new ArrayList<>();
            for (HubConfig hub : hubs) {
                JsonArray devices = fetch(vertx, config, hub).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
                devices.forEach(d -> rows.add(((JsonObject) d).put("hub", hub.hostName())));
            }
            console.println(String.format(FORMAT, "DEVICE ID", "HUB", "AUTH", "STATUS", "CREATED"));
            for (JsonObject d : rows) {
                console.println(String.format(FORMAT, d.getString("deviceId"), d.getString("hub"),
                        d.getJsonObject("authentication").getString("type"), d.getString("status"), d.getString("createdTime")));
            }
            console.println(rows.size() + " device(s)");
            return 0;
        } finally {
            vertx.close();
        }
    }

    private static Future<JsonArray> fetch(Vertx vertx, GatewayConfig config, HubConfig hub) {
        String address = config.listen().address().equals("0.0.0.0") ? "127.0.0.1" : config.listen().address();
        Path trust = config.tls().selfMade() ? config.dataDir().resolve("tls").resolve("ca.pem") : config.tls().certificate();
        var client = vertx.createHttpClient(new HttpClientOptions().setSsl(true).setVerifyHost(true)
                .setTrustOptions(new PemTrustOptions().addCertPath(trust.toString())));
        String token = SasTokenSigner.sign(hub.hostName(), Instant.now().getEpochSecond() + 300,
                SymmetricKeys.decode(hub.ownerKey()), HubServiceAuthenticator.OWNER_POLICY);
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET)
                .setServer(SocketAddress.inetSocketAddress(config.listen().https(), address))
                .setHost(hub.hostName()).setPort(config.listen().https())
                .setURI("/devices?top=1000&api-version=2021-04-12").putHeader("Authorization", token);
        return client.request(request)
                .compose(req -> req.send())
                .compose(resp -> resp.body().map(body -> check(resp.statusCode(), body)))
                .eventually(client::close);
    }

    private static JsonArray check(int status, Buffer body) {
        if (status != 200) {
            throw new IllegalStateException("the gateway answered " + status + ": " + body);
        }
        return new JsonArray(body);
    }
}
