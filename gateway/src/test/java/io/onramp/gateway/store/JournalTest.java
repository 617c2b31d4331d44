package io.onramp.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {

    @TempDir
    Path dir;

    @Test
    void recordsComeBackInOrderAcrossFilesAndNumberingGoesOn() throws IOException {
        Journal journal = Journal.openForAppend(dir, 0);
        assertThat(journal.append(List.of(bytes("a"), bytes("b")))).isEqualTo(2);
        journal.rotate();
        assertThat(journal.append(List.of(bytes("c")))).isEqualTo(3);
        journal.close();

        assertThat(texts(Journal.readAll(dir))).containsExactly("1:a", "2:b", "3:c");
        Journal reopened = Journal.openForAppend(dir, 3);
        assertThat(reopened.append(List.of(bytes("d")))).isEqualTo(4);
        reopened.close();
        assertThat(texts(Journal.readAll(dir))).containsExactly("1:a", "2:b", "3:c", "4:d");
    }

    @Test
    void aTornTailIsLeftOutAndWhatCameBeforeItIsKept() throws IOException {
        Journal journal = Journal.openForAppend(dir, 0);
        journal.append(List.of(bytes("first"), bytes("second")));
        journal.close();
        Path file = onlyFile();
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() - 3); // a crash in the middle of the second record
        }
        assertThat(texts(Journal.readAll(dir))).containsExactly("1:first");
    }

    @Test
    void aRecordThatFailsItsChecksumEndsTheFile() throws IOException {
        Journal journal = Journal.openForAppend(dir, 0);
        journal.append(List.of(bytes("first"), bytes("second"), bytes("third")));
        journal.close();
        Path file = onlyFile();
        byte[] data = Files.readAllBytes(file);
        int second = 16 + "first".length() + 16 + 2; // inside the second record's payload
        data[second] ^= 0x20;
        Files.write(file, data);
        assertThat(texts(Journal.readAll(dir))).containsExactly("1:first");
    }

    @Test
    void closedFilesAreDroppedOnlyWhenEveryRecordInThemIsCovered() throws IOException {
        Journal journal = Journal.openForAppend(dir, 0);
        journal.append(List.of(bytes("a"), bytes("b")));
        journal.rotate();
        journal.append(List.of(bytes("c")));
        journal.rotate();
        journal.append(List.of(bytes("d")));

        journal.dropUpTo(1); // the first file still holds record 2
        assertThat(texts(Journal.readAll(dir))).containsExactly("1:a", "2:b", "3:c", "4:d");
        journal.dropUpTo(3);
        assertThat(texts(Journal.readAll(dir))).containsExactly("4:d");
        journal.dropUpTo(4); // never the file being appended to
        assertThat(texts(Journal.readAll(dir))).containsExactly("4:d");
        journal.close();
    }

    /**
     * Checkpoints drop files without the journal's lock while the writer appends and rotates: every record the drop
     * did not cover is still there, in order, and so is the file being appended to.
     */
    @Test
    void droppingWhileAppendingAndRotatingLosesNoUncoveredRecord() throws Exception {
        Journal journal = Journal.openForAppend(dir, 0);
        AtomicLong appended = new AtomicLong();
        AtomicLong dropped = new AtomicLong();
        AtomicBoolean done = new AtomicBoolean();
        Thread checkpoint = new Thread(() -> {
            try {
                while (!done.get()) {
                    long covered = appended.get();
                    journal.dropUpTo(covered);
                    dropped.set(covered);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        checkpoint.start();
        for (int i = 1; i <= 3_000; i++) {
            appended.set(journal.append(List.of(bytes("r" + i))));
            if (i % 7 == 0) {
                journal.rotate();
            }
        }
        done.set(true);
        checkpoint.join();
        long last = journal.append(List.of(bytes("last")));
        journal.close();

        List<Journal.Entry> left = Journal.readAll(dir);
        assertThat(left).isNotEmpty();
        assertThat(left.get(0).number()).as("first record left").isLessThanOrEqualTo(dropped.get() + 1);
        for (int i = 0; i < left.size(); i++) {
            assertThat(left.get(i).number()).as("record %d left", i).isEqualTo(left.get(0).number() + i);
        }
        assertThat(left.get(left.size() - 1).number()).isEqualTo(last);
    }

    @Test
    void anOversizedRecordIsRefusedAndLeavesNothingBehind() throws IOException {
        Journal journal = Journal.openForAppend(dir, 0);
        journal.append(List.of(bytes("kept")));
        assertThatThrownBy(() -> journal.append(List.of(bytes("lost"), new byte[Journal.MAX_PAYLOAD + 1])))
                .isInstanceOf(IOException.class);
        assertThat(journal.append(List.of(bytes("next")))).isEqualTo(2);
        journal.close();
        assertThat(texts(Journal.readAll(dir))).containsExactly("1:kept", "2:next");
    }

    private Path onlyFile() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.reduce((a, b) -> {
                throw new AssertionError("more than one journal file");
            }).orElseThrow();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> texts(List<Journal.Entry> entries) {
        return entries.stream().map(e -> e.number() + ":" + new String(e.payload(), StandardCharsets.UTF_8)).toList();
    }
}
