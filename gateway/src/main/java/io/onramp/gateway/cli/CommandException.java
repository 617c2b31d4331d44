package io.onramp.gateway.cli;

/** A command that cannot go on for a reason the user can fix: its message says what and how, and is all that is printed. */
public final class CommandException extends RuntimeException {

    public CommandException(String message) {
        super(message);
    }
}
