package io.onramp.gateway.cli;

/**
 * The lines of a listing. Its header is printed with the first row, or with the closing count when there is no
 * row: a listing that fails before its first row prints the error alone, not a header over nothing.
 */
final class Table {

    private final Console console;
    private final String header;
    private boolean started;

    Table(Console console, String header) {
        this.console = console;
        this.header = header;
    }

    void row(String line) {
        start();
        console.println(line);
    }

    /** The closing line ("3 device(s)"), under the header even when no row came. */
    void end(String summary) {
        start();
        console.println(summary);
    }

    private void start() {
        if (!started) {
            console.println(header);
            started = true;
        }
    }
}
