package io.onramp.gateway.cli;

import io.onramp.broker.hub.HubException;
import io.onramp.broker.registry.DeviceStatus;
import io.onramp.certs.sas.SymmetricKeys;
import io.onramp.gateway.config.ConfigLoader;
import io.onramp.gateway.config.GatewayConfig;
import io.onramp.gateway.config.GatewayConfig.HubConfig;
import io.onramp.gateway.hub.HubRestClient;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code onramp devices list [--hub H]} and {@code onramp devices show ID [--hub H]}: the IoT devices
 * explorer; {@code enable}, {@code disable} and {@code create} act on one device. It asks the hubs' registry API (this gateway's for hubs hosted here, signed with each
 * hub's owner key from the config; a remote hub's through its connection string), so it works while
 * devices register.
 */
public final class DevicesCommand {

    /** AUTH fits IoT Hub's longest authentication type, certificateAuthority. */
    private static final String FORMAT = "%-36s %-20s %-20s %-9s %s";
    /** Devices per request: IoT Hub's largest {@code top}. */
    private static final int PAGE_SIZE = 1000;
    private static final String USAGE = "usage: onramp devices list [--hub HOST] [--config FILE]\n"
            + "       onramp devices show DEVICE_ID [--hub HOST] [--config FILE]\n"
            + "       onramp devices enable|disable DEVICE_ID [--hub HOST] [--config FILE]"
            + "   (at its hub: a disabled device is disconnected and refused)\n"
            + "       onramp devices create DEVICE_ID --hub HOST [--config FILE]"
            + "   (a device with new keys; prints its connection string: another gateway's upstream, say)\n"
            + "A device ID registered at several hubs needs --hub to say which.";
    /** The status reason a disable from the command line leaves at the hub. */
    static final String DISABLED_BY_OPERATOR = "disabled by onramp devices disable";

    private final Console console;

    public DevicesCommand(Console console) {
        this.console = console;
    }

    public int run(Arguments args) throws Exception {
        if (args.asksForHelp(1)) {
            console.println(USAGE);
            return 0;
        }
        List<String> words = args.words();
        Integer takes = words.size() < 2 ? null
                : Map.of("list", 2, "show", 3, "enable", 3, "disable", 3, "create", 3).get(words.get(1));
        if (takes != null) {
            args.refuseWordsAfter(takes);
        }
        String verb = takes != null && words.size() == takes ? words.get(1) : "";
        if (verb.isEmpty()) {
            console.error(USAGE);
            return 2;
        }
        GatewayConfig config = ConfigLoader.forThisProcess().load(args.config());
        String only = args.flag("hub");
        if (verb.equals("create") && only == null && config.hubs().size() != 1) {
            console.error("onramp: say at which hub to create the device with --hub HOST");
            return 2;
        }
        List<HubConfig> hubs = only == null ? config.hubs() : HubConnections.find(config, only).map(List::of).orElse(List.of());
        if (hubs.isEmpty()) {
            console.error("onramp: no hub " + (only == null ? "is configured" : "named " + only));
            return 1;
        }
        Vertx vertx = Vertx.vertx();
        try {
            return switch (verb) {
                case "list" -> list(vertx, config, hubs);
                case "show" -> show(vertx, config, hubs, words.get(2));
                case "create" -> create(vertx, config, hubs.get(0), words.get(2));
                default -> setStatus(vertx, config, hubs, words.get(2), verb.equals("enable") ? DeviceStatus.ENABLED
                        : DeviceStatus.DISABLED);
            };
        } finally {
            vertx.close();
        }
    }

    /**
     * Every device of the hubs, printed a page at a time as the pages come: a hub of a million devices
     * lists whole, in bounded memory (IoT Hub's {@code GET /devices} stops at 1,000; the hubs page it).
     */
    private int list(Vertx vertx, GatewayConfig config, List<HubConfig> hubs) throws Exception {
        Table table = new Table(console, row("DEVICE ID", "HUB", "AUTH", "STATUS", "CREATED"));
        long count = 0;
        for (HubConfig hub : hubs) {
            HubRestClient client = HubConnections.open(vertx, config, hub);
            try {
                String continuation = null;
                do {
                    Map<String, String> headers = continuation == null ? Map.of() : Map.of("x-ms-continuation", continuation);
                    HubRestClient.Reply page = await(EventLoopCall.on(vertx.getOrCreateContext(),
                            () -> client.exchange(HttpMethod.GET, "/devices?top=" + PAGE_SIZE, null, headers))
                            .recover(failure -> Future.failedFuture(HubConnections.explained(config, hub, failure))));
                    for (Object item : new JsonArray(page.body())) {
                        JsonObject d = (JsonObject) item;
                        table.row(row(d.getString("deviceId"), hub.hostName(),
                                d.getJsonObject("authentication").getString("type"), d.getString("status"),
                                d.getString("createdTime", "-")));
                        count++;
                    }
                    continuation = page.headers().get("x-ms-continuation");
                } while (continuation != null);
            } finally {
                client.close();
            }
        }
        table.end(count + " device(s)");
        return 0;
    }

    /** One line of the list, in columns. */
    static String row(String deviceId, String hub, String auth, String status, String created) {
        return String.format(FORMAT, deviceId, hub, auth, status, created);
    }

    private int show(Vertx vertx, GatewayConfig config, List<HubConfig> hubs, String deviceId) throws Exception {
        List<Answer<JsonObject>> found = atHubsKnowing(vertx, config, hubs, deviceId);
        if (found.size() != 1) {
            return notOneDevice(deviceId, hubs, found);
        }
        HubConfig hub = found.get(0).hub();
        JsonObject twin = await(HubConnections.get(vertx, config, hub, "/twins/" + HubRestClient.segment(deviceId))
                .map(JsonObject::new));
        new DeviceReport(console).print(hub, found.get(0).value(), twin);
        return 0;
    }

    /**
     * Enables or disables the device at the hub that knows it: what undoes a deprovision's disable (README,
     * "Undoing a deprovision"), or takes one device off its hub by hand.
     */
    private int setStatus(Vertx vertx, GatewayConfig config, List<HubConfig> hubs, String deviceId, DeviceStatus status)
            throws Exception {
        String reason = status == DeviceStatus.ENABLED ? "" : DISABLED_BY_OPERATOR;
        List<Answer<JsonObject>> found = atHubsKnowing(vertx, config, hubs, deviceId);
        if (found.size() != 1) {
            return notOneDevice(deviceId, hubs, found);
        }
        HubConfig hub = found.get(0).hub();
        JsonObject device = await(HubConnections.setStatus(vertx, config, hub, deviceId, status, reason));
        console.println("device " + device.getString("deviceId") + " at " + hub.hostName() + " is " + device.getString("status")
                + (status == DeviceStatus.DISABLED ? ": its connections are closed and new ones refused" : ": it may connect"));
        return 0;
    }

    /**
     * A device with new symmetric keys at a hub, through its registry API; its connection string printed, to give to
     * what connects as it: a device, or a plant gateway forwarding upstream to this hub ({@code upstream:
     * connectionString}). An ID the hub already has is refused: creating would re-key it.
     */
    private int create(Vertx vertx, GatewayConfig config, HubConfig hub, String deviceId) throws Exception {
        if (!atHubsKnowing(vertx, config, List.of(hub), deviceId).isEmpty()) {
            console.error("onramp: device " + deviceId + " is already registered at " + hub.hostName()
                    + "; `onramp devices show " + deviceId + "` gives its details");
            return 1;
        }
        String primary = SymmetricKeys.generate();
        JsonObject draft = new JsonObject().put("deviceId", deviceId).put("status", "enabled").put("authentication",
                new JsonObject().put("type", "sas").put("symmetricKey", new JsonObject().put("primaryKey", primary)
                        .put("secondaryKey", SymmetricKeys.generate())));
        await(HubConnections.put(vertx, config, hub, "/devices/" + HubRestClient.segment(deviceId), draft));
        console.println("HostName=" + hub.hostName() + ";DeviceId=" + deviceId + ";SharedAccessKey=" + primary);
        return 0;
    }

    /** A hub's answer about a device. */
    private record Answer<T>(HubConfig hub, T value) {}

    /**
     * The device as each hub (in config order) that knows it holds it; a 404 from a hub means it does not. Device IDs are
     * unique within a hub only, so more than one hub may answer.
     */
    private static List<Answer<JsonObject>> atHubsKnowing(Vertx vertx, GatewayConfig config, List<HubConfig> hubs,
            String deviceId) throws Exception {
        String path = "/devices/" + HubRestClient.segment(deviceId);
        List<Answer<JsonObject>> found = new ArrayList<>();
        for (HubConfig hub : hubs) {
            try {
                found.add(new Answer<>(hub, await(HubConnections.get(vertx, config, hub, path).map(JsonObject::new))));
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof HubException h && h.status() == 404)) {
                    throw e;
                }
            }
        }
        return found;
    }

    /** None found (exit 1), or several hubs with the ID: acting on one of them would be a guess (exit 2, as a usage error). */
    private int notOneDevice(String deviceId, List<HubConfig> hubs, List<Answer<JsonObject>> found) {
        if (found.isEmpty()) {
            console.error("onramp: device " + deviceId + " is not registered at "
                    + (hubs.size() == 1 ? "hub " + hubs.get(0).hostName() : "any configured hub"));
            return 1;
        }
        console.error("onramp: device " + deviceId + " is registered at " + found.size() + " hubs: "
                + found.stream().map(a -> a.hub().hostName() + " (" + a.hub().name() + ")").collect(Collectors.joining(", "))
                + "; say which with --hub HOST");
        return 2;
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
