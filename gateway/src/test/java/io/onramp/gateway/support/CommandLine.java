package io.onramp.gateway.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.gateway.app.MainAccess;
import io.onramp.gateway.cli.Console;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** The {@code onramp} command line as a test runs it: in process, against one config file, its exit code checked. */
public final class CommandLine {

    private final Path configFile;

    public CommandLine(Path configFile) {
        this.configFile = configFile;
    }

    /** Runs {@code onramp ARGS --config FILE}; asserts the exit code and answers what it printed, errors included. */
    public String run(int expectedExit, String... args) {
        String[] withConfig = new String[args.length + 2];
        System.arraycopy(args, 0, withConfig, 0, args.length);
        withConfig[args.length] = "--config";
        withConfig[args.length + 1] = configFile.toString();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        int exit = MainAccess.run(withConfig, new Console(print, print));
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(text).isEqualTo(expectedExit);
        return text;
    }
}
