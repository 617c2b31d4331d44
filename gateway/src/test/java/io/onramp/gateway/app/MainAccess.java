package io.onramp.gateway.app;

import io.onramp.gateway.cli.Console;

/** Lets tests run the command line without exiting the JVM. */
public final class MainAccess {
    private MainAccess() {}

    public static int run(String[] args, Console console) {
        return Main.run(args, console);
    }
}
