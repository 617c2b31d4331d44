package io.onramp.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code devices list}: every authentication type IoT Hub has stays in its column. */
class DevicesListColumnsTest {

    @Test
    void theStatusColumnStartsInTheSamePlaceWhateverTheAuthType() {
        String header = DevicesCommand.row("DEVICE ID", "HUB", "AUTH", "STATUS", "CREATED");
        for (String auth : new String[] {"sas", "selfSigned", "certificateAuthority", "none"}) {
            String row = DevicesCommand.row("sensor-0042", "127.0.0.2", auth, "enabled", "2026-11-28T01:00:00Z");
            assertThat(row.indexOf("enabled")).as(auth).isEqualTo(header.indexOf("STATUS"));
        }
    }
}
