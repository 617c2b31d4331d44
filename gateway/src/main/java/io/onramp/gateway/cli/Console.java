package io.onramp.gateway.cli;

import java.io.PrintStream;

/** The one place that writes to the terminal: what the user asked for on stdout, problems on stderr. */
public final class Console {

    private final PrintStream out;
    private final PrintStream err;

    public Console(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static Console system() {
        return new Console(System.out, System.err);
    }

    public void println(String line) {
        out.println(line);
    }

    public void error(String line) {
        err.println(line);
    }
}
