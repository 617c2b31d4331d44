package io.onramp.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/** File-system failures read as a user writes them; anything else keeps its type and message. */
class FailureTextTest {

    @Test
    void fileSystemFailuresNameTheFileWithoutJavaNames() {
        assertThat(FailureText.of(new NoSuchFileException("/nonexistent/x.jsonl")))
                .isEqualTo("no such file or directory: /nonexistent/x.jsonl");
        assertThat(FailureText.of(new AccessDeniedException("/etc/shadow"))).isEqualTo("permission denied: /etc/shadow");
        assertThat(FailureText.of(new UncheckedIOException(new NoSuchFileException("x.csv"))))
                .isEqualTo("no such file or directory: x.csv");
        assertThat(FailureText.of(new UncheckedIOException(new IOException("Is a directory"))))
                .isEqualTo("is a directory: give a file");
    }

    @Test
    void anUnforeseenFailureKeepsItsTypeAndMessage() {
        assertThat(FailureText.of(new IllegalStateException("boom"))).isEqualTo("IllegalStateException: boom");
        assertThat(FailureText.of(new IOException("Connection reset"))).isEqualTo("IOException: Connection reset");
    }
}
