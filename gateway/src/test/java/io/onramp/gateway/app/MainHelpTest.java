package io.onramp.gateway.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.gateway.cli.Console;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code --help}, {@code -h} and {@code help} print the usage of the level they are given at, with status 0. */
class MainHelpTest {

    record Run(int status, String out, String err) {}

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--help                                  | usage: onramp <command>",
        "-h                                      | usage: onramp <command>",
        "help                                    | usage: onramp <command>",
        "start --help                            | usage: onramp start",
        "config --help                           | usage: onramp config check",
        "config check --help                     | usage: onramp config check",
        "enrollments --help                      | usage: onramp enrollments list",
        "enrollments -h                          | usage: onramp enrollments list",
        "enrollments help                        | usage: onramp enrollments list",
        "enrollments create --help               | usage: onramp enrollments list",
        "enrollments import FILE --mode --help   | usage: onramp enrollments list",
        "enrollments list --colour red --help    | usage: onramp enrollments list",
        "registrations --help                    | usage: onramp registrations list",
        "registrations help                      | usage: onramp registrations list",
        "devices -h                              | usage: onramp devices list",
        "certs --help                            | usage: onramp certs root",
        "certs help                              | usage: onramp certs root",
        "certs root --help                       | usage: onramp certs root",
        "certs ca --help                         | usage: onramp certs ca list",
        "certs ca help                           | usage: onramp certs ca list",
        "certs ca upload -h                      | usage: onramp certs ca list",
    })
    void printsTheUsageOfTheLevelAskedAbout(String args, String usage) {
        Run run = run(args.split(" "));

        assertThat(run.status()).as(run.err()).isZero();
        assertThat(run.out()).startsWith(usage);
        assertThat(run.err()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "enrollments                 | usage: onramp enrollments list",
        "enrollments list --colour x | unknown option --colour (onramp enrollments --help lists its options)",
        "certs root --colour x       | unknown option --colour (onramp certs --help lists its options)",
        "certs ca                    | usage: onramp certs ca list",
        "start --config x.yaml extra | unexpected argument 'extra' (onramp start --help lists its options)",
        "devices list extra          | unexpected argument 'extra' (onramp devices --help lists its options)",
        "devices show a b            | unexpected argument 'b' (onramp devices --help lists its options)",
        "registrations show a b      | unexpected argument 'b' (onramp registrations --help lists its options)",
        "registrations list --group g x | unexpected argument 'x' (onramp registrations --help lists its options)",
        "token --hub h extra         | unexpected argument 'extra' (onramp token --help lists its options)",
        "backup a.zip extra          | unexpected argument 'extra' (onramp backup --help lists its options)",
        "backup                      | usage: onramp backup FILE",
        "config                      | usage: onramp config check",
        "config validate             | unknown config command 'validate' (onramp config --help lists its options)",
        "config check a.yaml extra   | unexpected argument 'extra' (onramp config --help lists its options)",
        "restore a.zip --force       | unknown option --force (onramp restore --help lists its options)",
        // an option of another command or verb is refused, not ignored
        "start --hub h               | unknown option --hub (onramp start --help lists its options)",
        "devices list --kind group   | unknown option --kind (onramp devices --help lists its options)",
        "token --hub h --force       | unknown option --force (onramp token --help lists its options)",
        "enrollments list --force    | option --force does not apply to 'onramp enrollments list'",
        "enrollments show x --mode update | option --mode does not apply to 'onramp enrollments show'",
        "enrollments create x --kind group | option --kind does not apply to 'onramp enrollments create'",
    })
    void withoutAskingForHelpAMistakeStillFails(String args, String message) {
        Run run = run(args.split(" "));

        assertThat(run.status()).isEqualTo(2);
        assertThat(run.err()).contains(message);
    }

    /** Without --config a command talks to conf/onramp.yaml's gateway, which may not be the one meant: each help says so. */
    @ParameterizedTest
    @CsvSource({"--help", "start --help", "config --help", "devices --help", "registrations --help", "token --help", "enrollments --help",
        "certs ca --help", "backup --help", "restore --help"})
    void theHelpOfACommandThatTalksToTheGatewayNamesConfig(String args) {
        assertThat(run(args.split(" ")).out()).contains("--config FILE");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "enrollments list --config nope.yaml  | onramp: no such file: nope.yaml (--config)",
        "registrations show x --config nope.yaml | onramp: no such file: nope.yaml (--config)",
        "start --config target              | onramp: target is a directory, not a config file (--config)",
    })
    void aConfigFileThatIsNotThereIsNamed(String args, String message) {
        Run run = run(args.split(" +"));

        assertThat(run.status()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo(message);
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new Console(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
