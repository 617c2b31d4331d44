package io.onramp.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.streams.ReadStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A download piped through the stream that forces it to the disk as it fills lands whole and in order. */
class SyncingFileStreamTest {

    private final Vertx vertx = Vertx.vertx();

    @TempDir
    Path dir;

    @AfterEach
    void close() {
        vertx.close();
    }

    @Test
    void aStreamForcedManyTimesOnTheWayIsWrittenWholeAndInOrder() throws Exception {
        byte[] content = new byte[3 << 20];
        new Random(7).nextBytes(content);
        Path source = Files.write(dir.resolve("source"), content);
        Path target = Files.createFile(dir.resolve("target"));

        vertx.fileSystem().open(source.toString(), new OpenOptions().setRead(true)).compose(in -> {
            in.setReadBufferSize(8192);
            return vertx.fileSystem().open(target.toString(), new OpenOptions().setWrite(true))
                    .compose(out -> ((ReadStream<Buffer>) in).pipeTo(new SyncingFileStream(out, 100_000)));
        }).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);

        assertThat(Files.readAllBytes(target)).isEqualTo(content);
    }
}
