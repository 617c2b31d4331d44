package io.onramp.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.gateway.app.MainAccess;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code onramp config check}: a file read as a start would read it, and what it would change in place of another. */
class ConfigCheckCommandTest {

    private static final String KEY = "S2V5Rm9yVGVzdFZlY3RvcnNPbmx5MDAwMDAwMDAwMDA=";

    @TempDir
    Path dir;

    record Run(int status, String out, String err) {}

    @Test
    void aValidFileIsSummarised() throws IOException {
        Path file = write("onramp.yaml", config(1, 443, enrollment("sensors", "127.0.0.2")));

        Run run = run("config", "check", "--config", file.toString());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo(file + " is valid: idScope 0ne00000001, 1 hub (line-a 127.0.0.2), allocation"
                + " hashed, 1 enrollment group, 0 individual enrollments, 0 access policies, 0 CA certificates\n");
    }

    @Test
    void anInvalidFileFailsNamingTheField() throws IOException {
        Path file = write("onramp.yaml", config(1001, 443, ""));

        Run run = run("config", "check", file.toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("hubs[0].weight").contains(file.toString());
        assertThat(run.out()).isEmpty();
    }

    @Test
    void aFileThatIsNotThereIsNamed() {
        Run run = run("config", "check", dir.resolve("nope.yaml").toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err()).contains("nope.yaml").contains("cannot read the file");
    }

    @Test
    void whatTheFileWouldChangeInPlaceOfTheRunningOneIsListed() throws IOException {
        Path current = write("onramp.yaml", config(1, 443, enrollment("sensors", "127.0.0.2")
                + enrollment("meters", "127.0.0.2") + enrollment("valves", "127.0.0.2")));
        Path next = write("next.yaml", config(3, 8443, enrollment("sensors", "127.0.0.2")
                + enrollment("meters", "127.0.0.2").replace("enabled", "disabled") + enrollment("pumps", "127.0.0.2")));

        Run run = run("config", "check", next.toString(), "--config", current.toString());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).contains(next + " is valid: ").contains("Put in place of " + current + ", it would change:\n"
                + "  at once:             hub line-a: weight 1 -> 3\n"
                + "  at the next start:   listen\n"
                + "  enrollments added:   1: group pumps\n"
                + "  enrollments changed: 1: group meters\n"
                + "  enrollments REMOVED: 1: group valves\n");
    }

    @Test
    void theSameSettingsChangeNothing() throws IOException {
        Path current = write("onramp.yaml", config(1, 443, enrollment("sensors", "127.0.0.2")));
        // A comment more, the same settings.
        Path next = write("next.yaml", "# a comment\n" + config(1, 443, enrollment("sensors", "127.0.0.2")));

        Run run = run("config", "check", next.toString(), "--config", current.toString());

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).endsWith("Put in place of " + current + ", it would change nothing.\n");
    }

    @Test
    void aFileTheRunningGatewayWouldRefuseFails() throws IOException {
        Path current = write("onramp.yaml", config(1, 443, ""));
        // The hub's host name changes (that waits for a restart) and an enrollment names the new one at once.
        Path next = write("next.yaml", config(1, 443, enrollment("sensors", "127.0.0.9")).replace("hostName: 127.0.0.2",
                "hostName: 127.0.0.9"));

        Run run = run("config", "check", next.toString(), "--config", current.toString());

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.out()).contains(next + " is valid: ");
        assertThat(run.err()).contains("it would be refused by the gateway running on that file")
                .contains("sensors names hub 127.0.0.9");
    }

    @Test
    void manyEnrollmentsAreCounted() throws IOException {
        StringBuilder groups = new StringBuilder();
        for (int i = 0; i < 13; i++) {
            groups.append(enrollment("g" + i, "127.0.0.2"));
        }
        Path current = write("onramp.yaml", config(1, 443, groups.toString()));
        Path next = write("next.yaml", config(1, 443, ""));

        Run run = run("config", "check", next.toString(), "--config", current.toString());

        assertThat(run.out()).contains("  enrollments REMOVED: 13: group g0, group g1, group g2, group g3, group g4, group g5,"
                + " group g6, group g7, group g8, group g9 and 3 more\n");
    }

    private String config(int weight, int httpsPort, String groups) {
        return """
                idScope: 0ne00000001
                dataDir: %s
                listen: { address: 127.0.0.1, https: %d, mqtts: -1, amqps: -1 }
                hubs: [ { name: line-a, hostName: 127.0.0.2, weight: %d, ownerKey: %s } ]
                enrollmentGroups:
                """.formatted(dir.resolve("data"), httpsPort, weight, KEY) + (groups.isEmpty() ? "  []\n" : groups);
    }

    private static String enrollment(String id, String hub) {
        return """
                  - enrollmentGroupId: %s
                    attestation: { type: symmetricKey, symmetricKey: { primaryKey: %s } }
                    iotHubs: [ %s ]
                    provisioningStatus: enabled
                """.formatted(id, KEY, hub);
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = MainAccess.run(args, new Console(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
