package io.onramp.gateway.cli;

import io.onramp.gateway.config.IoReasons;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * How the command line words a failure no command foresaw: a file-system error as a user reads it
 * ("no such file or directory: x.jsonl", not "NoSuchFileException: x.jsonl"), anything else by its
 * type and message, so nothing that could explain it is hidden.
 */
public final class FailureText {

    private FailureText() {}

    public static String of(Throwable e) {
        Throwable failure = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
        if (failure instanceof NoSuchFileException || failure instanceof AccessDeniedException
                || failure instanceof FileAlreadyExistsException || failure instanceof NotDirectoryException) {
            return IoReasons.of((IOException) failure) + ": " + ((FileSystemException) failure).getFile();
        }
        if (failure instanceof FileSystemException f) {
            return f.getMessage(); // "FILE: reason"
        }
        if (failure instanceof IOException && "Is a directory".equals(failure.getMessage())) {
            return "is a directory: give a file";
        }
        return failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }
}
