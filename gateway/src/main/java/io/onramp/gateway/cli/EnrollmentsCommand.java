package io.onramp.gateway.cli;

import io.onramp.gateway.cli.ServiceApiClient.Response;
import io.onramp.gateway.config.ConfigLoader;
import io.onramp.gateway.config.GatewayConfig;
import io.onramp.gateway.config.GatewayConfig.HubConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code onramp enrollments …}: enrollments through the running gateway's service API, so every
 * rule (config-owned enrollments, etags, key generation) is the API's.
 */
public final class EnrollmentsCommand {

    private static final String USAGE = """
            usage: onramp enrollments list [--kind individual|group] [--status enabled|disabled] [--hub NAME|HOST]   (both kinds unless --kind)
                   onramp enrollments show ID [--kind individual|group]   (without --kind: the individual, else the group)
                   onramp enrollments create ID [--key BASE64] [--hub NAME|HOST] [--device-id ID]   (--hub: its device
                                                                  always goes to that hub, whatever allocation.policy says)
                   onramp enrollments enable|disable|delete ID [--kind individual|group]   (delete needs --kind group for a group)
                   onramp enrollments import FILE [--mode create|update] [--failed FILE]   (.csv or JSON lines)
                   onramp enrollments export FILE [--force]      (.csv or JSON lines, with every key: mode 600;
                                                                  an existing FILE is replaced only with --force)
            every form takes --config FILE: the config of the gateway to talk to (default conf/onramp.yaml)""";
    private static final String FORMAT = "%-40s %-10s %-13s %-9s %s";
    static final String INDIVIDUALS = "/enrollments";
    static final String GROUPS = "/enrollmentGroups";
    /** The options of each verb, besides --config which all take. */
    private static final Map<String, Set<String>> VERB_FLAGS = Map.of(
            "list", Set.of("kind", "status", "hub"),
            "show", Set.of("kind"),
            "create", Set.of("key", "hub", "device-id"),
            "enable", Set.of("kind"),
            "disable", Set.of("kind"),
            "delete", Set.of("kind"),
            "import", Set.of("mode", "failed"),
            "export", Set.of("force"));
    private static final List<String> VERBS = List.of("list", "show", "create", "enable", "disable", "delete", "import",
            "export");
    /** Every option of every verb: what the command line accepts before the verb is known. */
    public static final Set<String> FLAGS = Stream.concat(Stream.of("config"),
            VERB_FLAGS.values().stream().flatMap(Set::stream)).collect(Collectors.toUnmodifiableSet());

    private final Console console;

    public EnrollmentsCommand(Console console) {
        this.console = console;
    }

    public int run(Arguments args) throws Exception {
        if (args.asksForHelp(1)) {
            console.println(USAGE);
            return 0;
        }
        List<String> words = args.words();
        if (words.size() < 2) {
            return usageError("missing verb");
        }
        String verb = words.get(1);
        if (!VERBS.contains(verb)) {
            return usageError("unknown verb '" + verb + "'");
        }
        int expected = verb.equals("list") ? 2 : 3;
        if (words.size() < expected) {
            return usageError("missing " + (verb.equals("import") || verb.equals("export") ? "FILE" : "ID"));
        }
        if (words.size() > expected) {
            return usageError("unexpected '" + words.get(expected) + "'");
        }
        Set<String> taken = new java.util.HashSet<>(VERB_FLAGS.get(verb));
        taken.add("config");
        args.refuseFlagsOtherThan(taken, "'onramp enrollments " + verb + "'");
        String target = verb.equals("list") ? null : words.get(2);
        // Flags are checked before anything is read or sent: a typo must not run as an empty filter or a failed import.
        String kind = kind(args);
        oneOf(args, "status", List.of("enabled", "disabled"));
        oneOf(args, "mode", List.of("create", "update"));
        if (verb.equals("export")) {
            EnrollmentExport.refuseToReplace(args, Path.of(target));
        }
        if (verb.equals("import")) {
            EnrollmentImport.refuseToOverwriteInput(Path.of(target), EnrollmentImport.failedFile(Path.of(target), args));
        }
        GatewayConfig config = ConfigLoader.forThisProcess().load(args.config());
        HubConfig hub = hub(config, args);
        Vertx vertx = Vertx.vertx();
        try (ServiceApiClient api = ServiceApiClient.open(vertx, config)) {
            return switch (verb) {
                case "list" -> list(api, kind == null ? List.of(GROUPS, INDIVIDUALS) : List.of(collection(kind)),
                        args, hub);
                case "show" -> show(api, path(collectionOf(api, kind, target), target));
                case "create" -> create(api, target, args, hub);
                case "enable", "disable" -> setStatus(api, path(collectionOf(api, kind, target), target), verb + "d");
                case "delete" -> delete(api, kind, target);
                case "import" -> new EnrollmentImport(console).run(api, Path.of(target), args);
                case "export" -> new EnrollmentExport(console).run(api, Path.of(target), config);
                default -> throw new IllegalStateException("verb not in VERBS: " + verb);
            };
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof ServiceApiClient.ServiceApiException api) {
                console.error("onramp: " + api.getMessage());
                return 1;
            }
            throw e;
        } finally {
            vertx.close();
        }
    }

    /** What was wrong, then the usage: exit code 2. */
    private int usageError(String what) {
        console.error("onramp enrollments: " + what + "\n" + USAGE);
        return 2;
    }

    /** A flag that takes one of a few values (case aside), when given. */
    private static void oneOf(Arguments args, String flag, List<String> values) {
        String value = args.flag(flag);
        if (value != null && values.stream().noneMatch(value::equalsIgnoreCase)) {
            throw new IllegalArgumentException("--" + flag + " must be " + String.join(" or ", values) + ", not " + value);
        }
    }

    /** {@code --kind}: individual, group, or null for both (list) or whichever exists (the verbs on one ID). */
    private static String kind(Arguments args) {
        String kind = args.flag("kind");
        if (kind != null && !kind.equals("individual") && !kind.equals("group")) {
            throw new IllegalArgumentException("--kind must be individual or group, not " + kind);
        }
        return kind;
    }

    /** {@code --hub}: a configured hub's name or host name, as for {@code devices}; null when not given. */
    private static HubConfig hub(GatewayConfig config, Arguments args) {
        String hub = args.flag("hub");
        if (hub == null) {
            return null;
        }
        return HubConnections.find(config, hub).orElseThrow(() -> new IllegalArgumentException("--hub: no configured hub"
                + " is named " + hub + "; the hubs are " + String.join(", ", config.hubs().stream()
                        .map(h -> h.name() + " (" + h.hostName() + ")").toList())));
    }

    /** Groups, then individual enrollments (or one kind), each page printed as it comes. */
    private int list(ServiceApiClient api, List<String> collections, Arguments args, HubConfig hub) throws Exception {
        String status = args.flag("status");
        Table table = new Table(console, String.format(FORMAT, "ID", "KIND", "ATTESTATION", "STATUS", "HUBS"));
        int[] shown = {0};
        for (String collection : collections) {
            String kind = collection.equals(GROUPS) ? "group" : "individual";
            forEachPage(api, collection, e -> {
                List<String> hubs = hubs(e);
                if ((status == null || status.equalsIgnoreCase(e.getString("provisioningStatus")))
                        && (hub == null || hubs.stream().anyMatch(h -> h.equalsIgnoreCase(hub.hostName())
                                || h.equalsIgnoreCase(hub.name())))) {
                    table.row(String.format(FORMAT, id(e), kind, e.getJsonObject("attestation").getString("type"),
                            e.getString("provisioningStatus"), hubs.isEmpty() ? "(any)" : String.join(",", hubs)));
                    shown[0]++;
                }
            });
        }
        table.end(shown[0] + " enrollment(s)");
        return 0;
    }

    private static String collection(String kind) {
        return "group".equals(kind) ? GROUPS : INDIVIDUALS;
    }

    /** An ID as one path segment of a collection. */
    static String path(String collection, String id) {
        return collection + ServiceApiClient.path(id);
    }

    /**
     * Where the enrollment an ID names lives: {@code --kind}'s collection, else the individual
     * enrollments, else the groups (the two have separate IDs, so a group is found without --kind).
     */
    private static String collectionOf(ServiceApiClient api, String kind, String id) throws Exception {
        if (kind != null) {
            return collection(kind);
        }
        if (exists(api, path(INDIVIDUALS, id))) {
            return INDIVIDUALS;
        }
        if (exists(api, path(GROUPS, id))) {
            return GROUPS;
        }
        throw new CommandException(id + " was not found: no individual enrollment or enrollment group has this ID");
    }

    private static boolean exists(ServiceApiClient api, String path) throws Exception {
        try {
            await(api.send(HttpMethod.GET, path, null, Map.of()));
            return true;
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof ServiceApiClient.ServiceApiException refused && refused.status == 404) {
                return false;
            }
            throw e;
        }
    }

    /** Deleting a group takes {@code --kind group}: a group admits many devices, so never delete one by a guess. */
    private int delete(ServiceApiClient api, String kind, String id) throws Exception {
        String collection = collectionOf(api, kind, id);
        if (kind == null && collection.equals(GROUPS)) {
            throw new CommandException(id + " is an enrollment group: add --kind group to delete it");
        }
        await(api.send(HttpMethod.DELETE, path(collection, id), null, Map.of()));
        console.println("deleted " + id);
        return 0;
    }

    private int show(ServiceApiClient api, String path) throws Exception {
        console.println(await(api.send(HttpMethod.GET, path, null, Map.of())).json().encodePrettily());
        return 0;
    }

    /**
     * The API takes host names only: a hub's name given to {@code --hub} is sent as its host name. {@code --hub} pins
     * the device to that hub (the static policy, for this enrollment only): with the gateway's hashed policy, a
     * named hub would otherwise only be what the enrollment shows, not where its device goes.
     */
    private int create(ServiceApiClient api, String id, Arguments args, HubConfig hub) throws Exception {
        JsonObject keys = new JsonObject();
        if (args.flag("key") != null) {
            keys.put("primaryKey", args.flag("key"));
        }
        JsonObject enrollment = new JsonObject().put("registrationId", id)
                .put("attestation", new JsonObject().put("type", "symmetricKey").put("symmetricKey", keys));
        if (hub != null) {
            enrollment.put("iotHubHostName", hub.hostName()).put("allocationPolicy", "static");
        }
        if (args.flag("device-id") != null) {
            enrollment.put("deviceId", args.flag("device-id"));
        }
        try {
            // Create only: a plain PUT would replace an existing enrollment, dropping its hub, device ID and status.
            await(api.send(HttpMethod.PUT, path(INDIVIDUALS, id), enrollment, Map.of("If-None-Match", "*")));
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof ServiceApiClient.ServiceApiException refused && refused.status == 412) {
                throw new CommandException("enrollment " + id + " already exists; use 'onramp enrollments enable|disable "
                        + id + "' to change its status, or 'onramp enrollments delete " + id + "' and create it again");
            }
            throw e;
        }
        JsonObject mechanism = await(api.send(HttpMethod.POST, path(INDIVIDUALS, id) + "/attestationmechanism", null,
                Map.of())).json();
        console.println("created " + id + "\nprimaryKey   " + mechanism.getJsonObject("symmetricKey").getString("primaryKey")
                + "\nsecondaryKey " + mechanism.getJsonObject("symmetricKey").getString("secondaryKey"));
        return 0;
    }

    /** Read, change, write back under If-Match: a concurrent change makes this fail rather than be lost. */
    private int setStatus(ServiceApiClient api, String path, String status) throws Exception {
        JsonObject current = await(api.send(HttpMethod.GET, path, null, Map.of())).json();
        current.put("provisioningStatus", status);
        await(api.send(HttpMethod.PUT, path, current, Map.of("If-Match", current.getString("etag"))));
        console.println(id(current) + " " + status + " (takes effect for its next registration; devices already"
                + " on a hub stay there)");
        return 0;
    }

    private static List<String> hubs(JsonObject e) {
        List<String> hubs = new ArrayList<>();
        e.getJsonArray("iotHubs", new JsonArray()).forEach(h -> hubs.add(String.valueOf(h)));
        if (e.getString("iotHubHostName") != null && !hubs.contains(e.getString("iotHubHostName"))) {
            hubs.add(e.getString("iotHubHostName"));
        }
        return hubs;
    }

    static void forEachPage(ServiceApiClient api, String collection, Consumer<JsonObject> each) throws Exception {
        String continuation = null;
        JsonObject query = new JsonObject().put("query", "SELECT *");
        do {
            Map<String, String> headers = continuation == null ? Map.of("x-ms-max-item-count", "1000")
                    : Map.of("x-ms-max-item-count", "1000", "x-ms-continuation", continuation);
            Response page = await(api.send(HttpMethod.POST, collection + "/query", query, headers));
            new JsonArray(page.body()).forEach(item -> each.accept((JsonObject) item));
            continuation = page.headers().get("x-ms-continuation");
        } while (continuation != null);
    }

    static String id(JsonObject e) {
        return e.getString("registrationId", e.getString("enrollmentGroupId"));
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
    }
}
