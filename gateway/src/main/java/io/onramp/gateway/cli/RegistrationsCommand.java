package io.onramp.gateway.cli;

import io.onramp.broker.hub.HubException;
import io.onramp.broker.registry.DeviceStatus;
import io.onramp.gateway.cli.ServiceApiClient.Response;
import io.onramp.gateway.config.ConfigLoader;
import io.onramp.gateway.config.GatewayConfig;
import io.onramp.gateway.config.GatewayConfig.HubConfig;
import io.onramp.gateway.provisioning.RegistrationStatus;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

/** {@code onramp registrations …}: the registration states of the service API. */
public final class RegistrationsCommand {

    private static final String USAGE = """
            usage: onramp registrations list [--group GROUP_ID] [--status assigning|assigned|failed|disabled] [--hub NAME|HOST]
                     (every enrollment's registrations unless --group; --hub also takes a host name the config no longer has)
                   onramp registrations show|delete REGISTRATION_ID
                   onramp registrations deprovision REGISTRATION_ID   (disable its enrollment and its device at the hub)
            every form takes --config FILE: the config of the gateway to talk to (default conf/onramp.yaml)""";
    /** The statusReason a deprovisioned device gets at its hub. */
    static final String DEPROVISIONED = "deprovisioned by onramp";
    private static final String FORMAT = "%-40s %-11s %-24s %s";
    private static final String STATUSES = Arrays.stream(RegistrationStatus.values()).map(RegistrationStatus::wireName)
            .collect(Collectors.joining(", "));

    private final Console console;

    public RegistrationsCommand(Console console) {
        this.console = console;
    }

    public int run(Arguments args) throws Exception {
        if (args.asksForHelp(1)) {
            console.println(USAGE);
            return 0;
        }
        List<String> words = args.words();
        String verb = words.size() >= 2 ? words.get(1) : "";
        if (List.of("list", "show", "delete", "deprovision").contains(verb)) {
            args.refuseWordsAfter(verb.equals("list") ? 2 : 3);
        }
        boolean list = verb.equals("list") && words.size() == 2;
        boolean one = List.of("show", "delete", "deprovision").contains(verb) && words.size() == 3;
        if (!list && !one) {
            console.error(USAGE);
            return 2;
        }
        GatewayConfig config = ConfigLoader.forThisProcess().load(args.config());
        Vertx vertx = Vertx.vertx();
        try (ServiceApiClient api = ServiceApiClient.open(vertx, config)) {
            if (list) {
                return list(api, args.flag("group"), status(args), hubHostName(config, args));
            }
            String path = ServiceApiClient.path("registrations", words.get(2));
            if (verb.equals("deprovision")) {
                return deprovision(api, vertx, config, words.get(2));
            }
            if (verb.equals("delete")) {
                EnrollmentsCommand.await(api.send(HttpMethod.DELETE, path, null, Map.of()));
                console.println("deleted the registration state of " + words.get(2) + " (the device may register afresh;"
                        + " its hub identity is untouched)");
            } else {
                console.println(EnrollmentsCommand.await(api.send(HttpMethod.GET, path, null, Map.of())).json().encodePrettily());
            }
            return 0;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ServiceApiClient.ServiceApiException api) {
                console.error("onramp: " + api.getMessage());
                return 1;
            }
            throw e;
        } finally {
            vertx.close();
        }
    }

    /**
     * Deprovisioning as dps-service-api 13.3 describes it: the enrollment refuses the device's next
     * registration, then its identity at the hub it was assigned to is disabled, which closes its
     * connections. An individual enrollment is disabled; a device that came through a group gets a
     * disabled individual enrollment of its own, which takes precedence over every group. Enrollment
     * first: if the hub step fails, the device can no longer come back through DPS.
     */
    private int deprovision(ServiceApiClient api, Vertx vertx, GatewayConfig config, String id) throws Exception {
        JsonObject state = registrationState(api, id);
        Optional<JsonObject> individual = individual(api, id);
        if (state == null && individual.isEmpty()) {
            console.error("onramp: " + id + " has neither a registration state nor an individual enrollment; nothing changed");
            return 1;
        }
        console.println("deprovisioning " + id);
        String undo;
        if (individual.isEmpty()) {
            JsonObject blocker = new JsonObject().put("registrationId", id).put("provisioningStatus", "disabled")
                    .put("attestation", new JsonObject().put("type", "symmetricKey").put("symmetricKey", new JsonObject()));
            EnrollmentsCommand.await(api.send(HttpMethod.PUT, ServiceApiClient.path("enrollments", id), blocker, Map.of()));
            console.println("  enrollment  it registered through a group: a disabled individual enrollment now refuses it"
                    + " (keep it; deleting it lets the group admit the device again)");
            // Not enable: the blocker's keys are random, so enabled it would go on refusing the group-derived key.
            undo = "onramp enrollments delete " + id + " (delete, not enable)";
        } else if ("disabled".equals(individual.get().getString("provisioningStatus"))) {
            console.println("  enrollment  already disabled");
            undo = "onramp enrollments enable " + id + " if it is the device's own enrollment; onramp enrollments delete "
                    + id + " if a deprovision made it to refuse a group's device";
        } else {
            JsonObject disabled = individual.get().copy().put("provisioningStatus", "disabled");
            EnrollmentsCommand.await(api.send(HttpMethod.PUT, ServiceApiClient.path("enrollments", id), disabled,
                    Map.of("If-Match", individual.get().getString("etag"))));
            console.println("  enrollment  disabled: its next registration is refused");
            undo = "onramp enrollments enable " + id;
        }
        if (state == null || state.getString("assignedHub") == null || state.getString("deviceId") == null) {
            console.println("  hub         it was never assigned to a hub: no device to disable");
            console.println("  undo        " + undo);
            return 0;
        }
        int status = disableAtHub(vertx, config, state.getString("assignedHub"), state.getString("deviceId"));
        // A registration keeps the status a hub identity has: the device must be enabled at its hub too.
        console.println("  undo        " + undo + ", then onramp devices enable " + state.getString("deviceId") + " --hub "
                + state.getString("assignedHub"));
        return status;
    }

    private int disableAtHub(Vertx vertx, GatewayConfig config, String hubHostName, String deviceId) throws Exception {
        Optional<HubConfig> hub = config.hubs().stream().filter(h -> h.hostName().equalsIgnoreCase(hubHostName)).findFirst();
        if (hub.isEmpty()) {
            console.error("onramp: hub " + hubHostName + " is not in the config file: disable device " + deviceId
                    + " there yourself");
            return 1;
        }
        try {
            JsonObject device = EnrollmentsCommand.await(HubConnections.setStatus(vertx, config, hub.get(), deviceId,
                    DeviceStatus.DISABLED, DEPROVISIONED));
            console.println("  hub         device " + device.getString("deviceId") + " at " + hubHostName + " "
                    + device.getString("status") + ": its connections are closed and new ones refused");
            return 0;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof HubException h && h.status() == 404) {
                console.println("  hub         device " + deviceId + " is no longer at " + hubHostName);
                return 0;
            }
            if (e.getCause() instanceof HubException h) {
                console.error("onramp: hub " + hubHostName + " refused to disable " + deviceId + ": " + h.getMessage());
                return 1;
            }
            if (e.getCause() instanceof CommandException linked) {
                console.error("onramp: " + linked.getMessage() + "; device " + deviceId + " was not disabled there: run"
                        + " onramp devices disable " + deviceId + " --hub " + hubHostName + " once it answers");
                return 1;
            }
            throw e;
        }
    }

    /** The registration state, or null when the device has none. */
    private static JsonObject registrationState(ServiceApiClient api, String id) throws Exception {
        try {
            return EnrollmentsCommand.await(api.send(HttpMethod.GET, ServiceApiClient.path("registrations", id), null, Map.of())).json();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ServiceApiClient.ServiceApiException notFound && notFound.status == 404) {
                return null;
            }
            throw e;
        }
    }

    private static Optional<JsonObject> individual(ServiceApiClient api, String id) throws Exception {
        try {
            return Optional.of(EnrollmentsCommand.await(api.send(HttpMethod.GET, ServiceApiClient.path("enrollments", id), null, Map.of())).json());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ServiceApiClient.ServiceApiException notFound && notFound.status == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** {@code --status}, checked against the statuses a registration state can have. */
    private static String status(Arguments args) {
        String status = args.flag("status");
        if (status != null && Arrays.stream(RegistrationStatus.values()).noneMatch(s -> s.wireName().equalsIgnoreCase(status))) {
            throw new IllegalArgumentException("--status must be one of " + STATUSES + ", not " + status);
        }
        return status;
    }

    /**
     * {@code --hub}: a configured hub's name or host name, as the registrations name it (by host name). Any other
     * value is taken as a host name, with a note: registrations may name a hub the config no longer has.
     */
    private String hubHostName(GatewayConfig config, Arguments args) {
        String hub = args.flag("hub");
        if (hub == null) {
            return null;
        }
        Optional<String> configured = HubConnections.find(config, hub).map(HubConfig::hostName);
        if (configured.isEmpty()) {
            console.error("onramp: note: --hub " + hub + " is not a hub of the config file (its hubs: " + config.hubs()
                    .stream().map(h -> h.name().equals(h.hostName()) ? h.name() : h.name() + " (" + h.hostName() + ")")
                    .collect(Collectors.joining(", ")) + "); listing the registrations that name it as their hub");
        }
        return configured.orElse(hub);
    }

    /**
     * The group's registrations, or with no group every registration (Onramp's POST /registrations/query), filtered
     * here by status and hub (the service API's queries take no WHERE).
     */
    private int list(ServiceApiClient api, String group, String status, String hub) throws Exception {
        Table table = new Table(console, String.format(FORMAT, "REGISTRATION ID", "STATUS", "HUB", "DEVICE ID"));
        String continuation = null;
        int count = 0;
        do {
            Map<String, String> headers = continuation == null ? Map.of("x-ms-max-item-count", "1000")
                    : Map.of("x-ms-max-item-count", "1000", "x-ms-continuation", continuation);
            String path = group == null ? ServiceApiClient.path("registrations", "query")
                    : ServiceApiClient.path("registrations", group, "query");
            Response page = EnrollmentsCommand.await(api.send(HttpMethod.POST, path, new JsonObject().put("query", "SELECT *"),
                    headers));
            for (Object item : new JsonArray(page.body())) {
                JsonObject r = (JsonObject) item;
                if ((status != null && !status.equalsIgnoreCase(r.getString("status")))
                        || (hub != null && !hub.equalsIgnoreCase(r.getString("assignedHub")))) {
                    continue;
                }
                table.row(String.format(FORMAT, r.getString("registrationId"), r.getString("status"),
                        r.getString("assignedHub", "-"), r.getString("deviceId", "-")));
                count++;
            }
            continuation = page.headers().get("x-ms-continuation");
        } while (continuation != null);
        table.end(count + " registration(s)");
        return 0;
    }
}
