package io.onramp.gateway.cli;

import io.onramp.gateway.config.GatewayConfig.HubConfig;
import io.vertx.core.json.JsonObject;

/** {@code onramp devices show}: one device, its connection and its twin, as an operator reads it. */
final class DeviceReport {

    private static final String LINE = "%-15s %s";

    private final Console console;

    DeviceReport(Console console) {
        this.console = console;
    }

    void print(HubConfig hub, JsonObject device, JsonObject twin) {
        JsonObject properties = twin.getJsonObject("properties", new JsonObject());
        line("Device", device.getString("deviceId"));
        line("Hub", hub.hostName() + (hub.name().equals(hub.hostName()) ? "" : " (" + hub.name() + ")"));
        String reason = device.getString("statusReason");
        line("Status", device.getString("status") + (reason == null || reason.isEmpty() ? "" : " (" + reason + ")"));
        line("Auth", device.getJsonObject("authentication", new JsonObject()).getString("type"));
        String changed = device.getString("connectionStateUpdatedTime");
        line("Connection", device.getString("connectionState") + (never(changed) ? ", never connected" : " since " + changed));
        String active = device.getString("lastActivityTime");
        line("Last activity", never(active) ? "never" : active);
        line("C2D queued", String.valueOf(device.getValue("cloudToDeviceMessageCount")));
        line("Generation", device.getString("generationId"));
        line("Twin", "version " + twin.getValue("version") + ", etag " + twin.getString("etag"));
        line("Tags", twin.getJsonObject("tags", new JsonObject()).encode());
        line("Desired", section(properties.getJsonObject("desired")));
        line("Reported", section(properties.getJsonObject("reported")));
    }

    /** IoT Hub writes "never" as its smallest time, 0001-01-01T00:00:00Z (with or without the Z, by API version). */
    private static boolean never(String time) {
        return time == null || time.startsWith("0001-01-01");
    }

    /** A section's values without $metadata, then its $version. */
    private static String section(JsonObject section) {
        if (section == null) {
            return "{}";
        }
        JsonObject values = section.copy();
        values.remove("$metadata");
        Object version = values.remove("$version");
        return values.encode() + "  ($version " + version + ")";
    }

    private void line(String label, String value) {
        console.println(String.format(LINE, label, value));
    }
}
