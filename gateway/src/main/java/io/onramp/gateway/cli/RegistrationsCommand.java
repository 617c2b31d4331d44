package io.onramp.gateway.cli;

import io.onramp.gateway.cli.ServiceApiClient.Response;
import io.onramp.gateway.config.ConfigLoader;
import io.onramp.gateway.config.GatewayConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/** {@code onramp registrations …}: the registration states of the service API. */
public final class RegistrationsCommand {

    private static final String USAGE = """
            usage: onramp registrations list --group GROUP_ID
                   onramp registrations show|delete REGISTRATION_ID""";
    private static final String FORMAT = "%-40s %-11s %-24s %s";

    private final Console console;

    public RegistrationsCommand(Console console) {
        this.console = console;
    }

    public int run(Arguments args) throws Exception {
        List<String> words = args.words();
        String verb = words.size() >= 2 ? words.get(1) : "";
        boolean list = verb.equals("list") && words.size() == 2 && args.flag("group") != null;
        boolean one = (verb.equals("show") || verb.equals("delete")) && words.size() == 3;
        if (!list && !one) {
            console.error(USAGE);
            return 2;
        }
        GatewayConfig config = ConfigLoader.forThisProcess().load(args.config());
        Vertx vertx = Vertx.vertx();
        try (ServiceApiClient api = ServiceApiClient.open(vertx, config)) {
            if (list) {
                return list(api, args.flag("group"));
            }
            String path = "/registrations/" + words.get(2);
            if (verb.equals("delete")) {
                EnrollmentsCommand.await(api.send(HttpMethod.DELETE, path, null, Map.of()));
                console.println("deleted the registration state of " + words.get(2) + " (the device may register afresh;"
                        + " its hub identity is untouched)");
            } else {
                console.println(EnrollmentsCommand.await(api.send(HttpMethod.GET, path, null, Map.of())).json().encodePrettily());
            }
            return 0;
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

    private int list(ServiceApiClient api, String group) throws Exception {
        console.println(String.format(FORMAT, "REGISTRATION ID", "STATUS", "HUB", "DEVICE ID"));
        String continuation = null;
        int count = 0;
        do {
            Map<String, String> headers = continuation == null ? Map.of("x-ms-max-item-count", "1000")
                    : Map.of("x-ms-max-item-count", "1000", "x-ms-continuation", continuation);
            Response page = EnrollmentsCommand.await(api.send(HttpMethod.POST, "/registrations/" + group + "/query",
                    new JsonObject().put("query", "SELECT *"), headers));
            for (Object item : new JsonArray(page.body())) {
                JsonObject r = (JsonObject) item;
                console.println(String.format(FORMAT, r.getString("registrationId"), r.getString("status"),
                        r.getString("assignedHub", "-"), r.getString("deviceId", "-")));
                count++;
            }
            continuation = page.headers().get("x-ms-continuation");
        } while (continuation != null);
        console.println(count + " registration(s)");
        return 0;
    }
}
