package io.onramp.gateway.cli;

import io.onramp.gateway.cli.ServiceApiClient.Response;
import io.onramp.gateway.store.OwnerOnly;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** {@code onramp enrollments import FILE}: a file of enrollments and groups, sent to the service API in bulk operations. */
final class EnrollmentImport {

    private static final int BULK = 10;
    private static final int IN_FLIGHT = 16;

    private final Console console;

    EnrollmentImport(Console console) {
        this.console = console;
    }

    /** {@code --failed}, else FILE.failed: replaced by each import, as a report of that import. */
    static Path failedFile(Path file, Arguments args) {
        return args.flag("failed") != null ? Path.of(args.flag("failed")) : Path.of(file + ".failed");
    }

    /** The failed rows' file is written from its start while FILE is read: the same file would lose the import. */
    static void refuseToOverwriteInput(Path file, Path failedFile) throws java.io.IOException {
        if (Files.exists(failedFile) && Files.exists(file) && Files.isSameFile(file, failedFile)) {
            throw new IllegalArgumentException("--failed names the file being imported (" + file
                    + "): it would be emptied before it is read; name another file");
        }
    }

    /**
     * Bulk operations of 10 rows, {@value #IN_FLIGHT} in flight; rows that fail (unreadable, or
     * refused by the API) go to the failed file, each under a comment saying why.
     */
    int run(ServiceApiClient api, Path file, Arguments args) throws Exception {
        boolean csv = EnrollmentRows.isCsv(file.toString());
        String mode = args.flag("mode") == null ? "create" : args.flag("mode");
        Path failedFile = failedFile(file, args);
        long total;
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            total = lines.filter(l -> !EnrollmentRows.skip(l)).count();
        }
        Progress progress = new Progress(console, total);
        Deque<Batch> inFlight = new ArrayDeque<>();
        long[] failed = {0};
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                // The failed rows carry their keys, as the export does: mode 600.
                BufferedWriter failures = OwnerOnly.newWriter(failedFile)) {
            if (csv) {
                failures.write(EnrollmentRows.CSV_HEADER + "\n");
            }
            Consumer<String[]> fail = rowAndReason -> {
                failed[0]++;
                try {
                    failures.write("# " + rowAndReason[1].replace('\n', ' ') + "\n" + rowAndReason[0] + "\n");
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
            // Individual enrollments and groups go in bulk operations of their own collection.
            Map<Boolean, Batch> batches = new java.util.HashMap<>(Map.of(false, new Batch(false), true, new Batch(true)));
            String line;
            while ((line = reader.readLine()) != null) {
                if (EnrollmentRows.skip(line)) {
                    continue;
                }
                try {
                    JsonObject enrollment = EnrollmentRows.parse(line, csv);
                    boolean group = EnrollmentRows.isGroup(enrollment);
                    Batch batch = batches.get(group);
                    batch.add(EnrollmentsCommand.id(enrollment), line, enrollment);
                    if (batch.size() == BULK) {
                        inFlight.add(batch.send(api, mode));
                        batches.put(group, new Batch(group));
                        if (inFlight.size() >= IN_FLIGHT) {
                            inFlight.poll().collect(fail, progress);
                        }
                    }
                } catch (IllegalArgumentException | ClassCastException e) {
                    fail.accept(new String[] {line, e.getMessage()});
                    progress.advance(1);
                }
            }
            for (Batch batch : batches.values()) {
                if (batch.size() > 0) {
                    inFlight.add(batch.send(api, mode));
                }
            }
            while (!inFlight.isEmpty()) {
                inFlight.poll().collect(fail, progress);
            }
        }
        if (failed[0] == 0) {
            // An empty report (or a CSV header alone) next to the input would read as "something failed".
            Files.deleteIfExists(failedFile);
        }
        progress.finish(failed[0], failedFile);
        return failed[0] == 0 ? 0 : 1;
    }

    /** Up to ten rows of one kind sent as one bulk operation. */
    private static final class Batch {
        private final boolean groups;
        private final List<String> ids = new ArrayList<>();
        private final List<String> lines = new ArrayList<>();
        private final JsonArray enrollments = new JsonArray();
        private Future<Response> sent;

        Batch(boolean groups) {
            this.groups = groups;
        }

        void add(String id, String line, JsonObject enrollment) {
            ids.add(id);
            lines.add(line);
            enrollments.add(enrollment);
        }

        int size() {
            return lines.size();
        }

        Batch send(ServiceApiClient api, String mode) {
            String collection = groups ? EnrollmentsCommand.GROUPS : EnrollmentsCommand.INDIVIDUALS;
            sent = api.send(HttpMethod.POST, collection, new JsonObject().put("mode", mode)
                    .put(groups ? "enrollmentGroups" : "enrollments", enrollments), Map.of());
            return this;
        }

        void collect(Consumer<String[]> fail, Progress progress) throws Exception {
            try {
                JsonArray errors = EnrollmentsCommand.await(sent).json().getJsonArray("errors", new JsonArray());
                for (Object error : errors) {
                    JsonObject e = (JsonObject) error;
                    String id = e.getString(groups ? "enrollmentGroupId" : "registrationId");
                    int index = ids.indexOf(id);
                    fail.accept(new String[] {index < 0 ? id : lines.get(index),
                        e.getInteger("errorCode") + " " + e.getString("errorStatus")});
                }
            } catch (java.util.concurrent.ExecutionException e) {
                // The whole operation was refused (e.g. a row the API could not read as an enrollment): all its rows failed.
                for (String line : lines) {
                    fail.accept(new String[] {line, e.getCause().getMessage()});
                }
            }
            progress.advance(size());
        }
    }

    /** A progress bar on its own lines (every 5 %), then a summary. */
    private static final class Progress {
        private final Console console;
        private final long total;
        private final long started = System.nanoTime();
        private long done;
        private long lastShown = -1;

        Progress(Console console, long total) {
            this.console = console;
            this.total = Math.max(1, total);
        }

        void advance(long rows) {
            done += rows;
            long percent = done * 100 / total;
            if (percent / 5 != lastShown / 5 || done == total) {
                lastShown = percent;
                int bar = (int) (percent / 5);
                console.println(String.format("[%-20s] %3d%% %d/%d rows, %.0f/s", "#".repeat(bar), percent, done, total,
                        rate()));
            }
        }

        void finish(long failed, Path failedFile) {
            console.println(String.format("imported %d, failed %d, in %.1f s (%.0f rows/s)%s", done - failed, failed,
                    (System.nanoTime() - started) / 1e9, rate(), failed > 0 ? "; failed rows and why: " + failedFile : "; no failures, so no " + failedFile));
        }

        private double rate() {
            return done / Math.max(1e-9, (System.nanoTime() - started) / 1e9);
        }
    }
}
