package io.onramp.bench.store;

import io.onramp.bench.Directories;
import io.onramp.bench.MachineInfo;
import io.onramp.bench.ThreadCpu;
import io.onramp.broker.registry.AuthType;
import io.onramp.broker.registry.DeviceProvisioning;
import io.onramp.broker.registry.TwinMode;
import io.onramp.gateway.provisioning.EnrollmentRef;
import io.onramp.gateway.provisioning.RegistrationRecord;
import io.onramp.gateway.provisioning.RegistrationStatus;
import io.onramp.gateway.store.Database;
import io.onramp.gateway.store.Etags;
import io.onramp.gateway.store.JdbcDeviceRegistry;
import io.onramp.gateway.store.JdbcRegistrationStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The store alone under re-registration: {@code devices} devices registered {@code passes} times over, each
 * registration the gateway's two durable writes (the hub identity and the registration record), {@code inFlight}
 * at a time, no HTTP. Prints each pass's rate and the H2 file's size, which levels off when nothing new is stored:
 * what the disk must hold for a fleet that re-registers.
 */
public final class StoreChurnBench {

    private static final String HUB = "127.0.0.2";
    private static final String KEY = "cHJpbWFyeS1rZXktMDAwMDAwMDAwMDAwMDAwMDAwMDA=";

    /** One pass: its rate and the file's size at its end. */
    public record Pass(int number, double perSecond, long fileBytes) {}

    private final Database database;
    private final JdbcDeviceRegistry devices;
    private final JdbcRegistrationStore registrations;
    private final Path file;

    private StoreChurnBench(Vertx vertx, Path dataDir) {
        this.database = Database.openH2(vertx, dataDir);
        this.devices = new JdbcDeviceRegistry(database, Clock.systemUTC());
        this.registrations = new JdbcRegistrationStore(database);
        this.file = dataDir.resolve("onramp.mv.db");
    }

    /** Runs the passes in {@code dataDir} (a new store), printing each; answers them and the size after closing. */
    public static List<Pass> run(Path dataDir, int warmupDevices, int deviceCount, int passes, int inFlight,
            PrintStream out)
            throws Exception {
        Vertx vertx = Vertx.vertx();
        StoreChurnBench bench = new StoreChurnBench(vertx, dataDir);
        List<Pass> done = new ArrayList<>();
        try {
            // Other devices first, unreported: the first pass then measures new devices with a settled JIT.
            if (warmupDevices > 0) {
                bench.pass(vertx, "warm-", warmupDevices, inFlight).get(30, TimeUnit.MINUTES);
            }
            for (int pass = 1; pass <= passes; pass++) {
                long start = System.nanoTime();
                ThreadCpu cpu = ThreadCpu.start();
                bench.pass(vertx, "churn-", deviceCount, inFlight).get(30, TimeUnit.MINUTES);
                double seconds = (System.nanoTime() - start) / 1e9;
                Pass result = new Pass(pass, deviceCount / seconds, Files.size(bench.file));
                done.add(result);
                out.printf("pass %d: %,.0f registrations/s, file %,.1f MB%n", pass, result.perSecond(),
                        result.fileBytes() / 1e6);
                // Steadier than the rate on a noisy machine: what each registration cost, by thread.
                out.printf("  CPU per registration: %s%n", ThreadCpu.describe(cpu.sinceStart(), 5, deviceCount));
            }
        } finally {
            bench.database.close(); // compacts for up to 2 s (MAX_COMPACT_TIME)
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        out.printf("closed: file %,.1f MB%n", Files.size(bench.file) / 1e6);
        return done;
    }

    /** Every device once, {@code inFlight} lanes each taking the next device when its last one is stored. */
    private CompletableFuture<Void> pass(Vertx vertx, String idPrefix, int deviceCount, int inFlight) {
        CompletableFuture<Void> all = new CompletableFuture<>();
        int[] next = {0};
        int[] lanesLeft = {Math.min(inFlight, deviceCount)};
        vertx.runOnContext(v -> {
            for (int lane = 0; lane < lanesLeft[0]; lane++) {
                lane(idPrefix, next, lanesLeft, deviceCount, all);
            }
        });
        return all;
    }

    private void lane(String idPrefix, int[] next, int[] lanesLeft, int deviceCount, CompletableFuture<Void> all) {
        if (next[0] >= deviceCount) {
            if (--lanesLeft[0] == 0) {
                all.complete(null);
            }
            return;
        }
        String id = idPrefix + next[0]++;
        register(id).onFailure(all::completeExceptionally).onSuccess(v -> lane(idPrefix, next, lanesLeft, deviceCount, all));
    }

    private Future<?> register(String id) {
        return devices.provision(new DeviceProvisioning(HUB, id, AuthType.SAS, KEY, null, false, Map.of("line", "a"),
                Map.of("interval", 60), TwinMode.KEEP)).compose(identity -> {
                    Instant now = Instant.now();
                    return registrations.save(new RegistrationRecord(id, EnrollmentRef.group("churn"), id, HUB,
                            RegistrationStatus.ASSIGNED, RegistrationRecord.INITIAL_ASSIGNMENT, null, null, null,
                            Etags.next(), now, now));
                });
    }

    public static void main(String[] args) throws Exception {
        int deviceCount = 100_000;
        int passes = 4;
        int inFlight = 64;
        int warmupDevices = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--devices" -> deviceCount = Integer.parseInt(args[++i]);
                case "--passes" -> passes = Integer.parseInt(args[++i]);
                case "--in-flight" -> inFlight = Integer.parseInt(args[++i]);
                case "--warmup-devices" -> warmupDevices = Integer.parseInt(args[++i]);
                default -> {
                    System.err.println("usage: run-store.sh [--devices 100000] [--passes 4] [--in-flight 64] [--warmup-devices 0]");
                    System.exit(args[i].equals("--help") ? 0 : 2);
                }
            }
        }
        System.out.printf("Onramp store churn bench: %,d devices, %d passes, %d in flight%n", deviceCount, passes,
                inFlight);
        MachineInfo.describe().forEach(System.out::println);
        Path dataDir = Files.createTempDirectory("onramp-store-churn");
        try {
            run(dataDir, warmupDevices, deviceCount, passes, inFlight, System.out);
        } finally {
            Directories.deleteTree(dataDir);
        }
        System.out.println("load:      " + MachineInfo.loadAverage());
    }
}
