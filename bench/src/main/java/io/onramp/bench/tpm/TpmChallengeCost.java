package io.onramp.bench.tpm;

import io.onramp.bench.MachineInfo;
import io.onramp.certs.tpm.IdentityKeyChallenge;
import io.onramp.certs.tpm.TpmFormatException;
import io.onramp.certs.tpm.TpmPublicArea;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The server's TPM crypto per registration, measured without the network: what the gateway does for one TPM
 * device that registers over HTTPS (challenge, then the signed register whose assigned answer carries the key
 * again): parse the EK and SRK the device sent and the enrolled EK, twice, and build two {@code authenticationKey}
 * blobs (two RSA-2048 OAEP encryptions each). Prints microseconds per registration on one thread and on every
 * core, and the registrations per second that crypto alone would allow; the end-to-end figure (HTTPS, store,
 * hub identity) is lower. No asserts: a figure on a shared machine is a reading, not a verdict.
 *
 * <p>Run: {@code java -cp <bench classpath> io.onramp.bench.tpm.TpmChallengeCost [seconds per reading]}.
 */
public final class TpmChallengeCost {

    private static final int IDENTITY_KEY_BYTES = 32;
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private TpmChallengeCost() {}

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
        String ek = tpm2bPublic(rsaKey(), true);
        String srk = tpm2bPublic(rsaKey(), false);
        MachineInfo.describe().forEach(System.out::println);
        System.out.println("load:      " + MachineInfo.loadAverage() + " (1, 5, 15 min)");
        perRegistration(ek, srk, 1, 2); // warm-up: JIT, provider look-ups
        int cores = Runtime.getRuntime().availableProcessors();
        for (int threads : cores > 1 ? List.of(1, cores) : List.of(1)) {
            Reading reading = perRegistration(ek, srk, threads, seconds);
            System.out.printf("%d thread(s): %,d registrations in %.1f s: %.0f µs of thread CPU each, "
                            + "%,.0f registrations/s from TPM crypto alone%n", threads, reading.count, reading.seconds,
                    reading.cpuNanos / 1e3 / reading.count, reading.count / reading.seconds);
        }
        System.out.println("load:      " + MachineInfo.loadAverage() + " (1, 5, 15 min)");
    }

    private record Reading(long count, double seconds, long cpuNanos) {}

    private static Reading perRegistration(String ek, String srk, int threads, double seconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long deadline = System.nanoTime() + (long) (seconds * 1e9);
            long start = System.nanoTime();
            List<Future<long[]>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Callable<long[]> work = () -> {
                    SecureRandom random = new SecureRandom();
                    long cpuStart = CPU.getCurrentThreadCpuTime();
                    long count = 0;
                    while (System.nanoTime() < deadline) {
                        oneRegistration(ek, srk, random);
                        count++;
                    }
                    return new long[] {count, CPU.getCurrentThreadCpuTime() - cpuStart};
                };
                done.add(pool.submit(work));
            }
            long count = 0;
            long cpu = 0;
            for (Future<long[]> f : done) {
                count += f.get()[0];
                cpu += f.get()[1];
            }
            return new Reading(count, (System.nanoTime() - start) / 1e9, cpu);
        } finally {
            pool.shutdownNow();
        }
    }

    /** What TpmAttestor computes for one device: the challenge request, then the signed one. */
    private static void oneRegistration(String ek, String srk, SecureRandom random) throws TpmFormatException {
        byte[] identityKey = new byte[IDENTITY_KEY_BYTES];
        random.nextBytes(identityKey);
        for (int request = 0; request < 2; request++) {
            TpmPublicArea endorsementKey = TpmPublicArea.parseBase64(ek);
            TpmPublicArea storageRootKey = TpmPublicArea.parseBase64(srk);
            TpmPublicArea enrolled = TpmPublicArea.parseBase64(ek);
            if (!java.security.MessageDigest.isEqual(enrolled.name(), endorsementKey.name())) {
                throw new IllegalStateException("EK mismatch");
            }
            IdentityKeyChallenge.build(endorsementKey, storageRootKey, identityKey, new byte[] {'b', 'e', 'n', 'c', 'h'},
                    random);
        }
    }

    private static RSAPublicKey rsaKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return (RSAPublicKey) generator.generateKeyPair().getPublic();
    }

    /** base64 {@code TPM2B_PUBLIC} of an RSA-2048 EK or SRK with the SDK templates' fields: {@link SoftwareTpm}. */
    private static String tpm2bPublic(RSAPublicKey key, boolean endorsementKey) {
        return Base64.getEncoder().encodeToString(SoftwareTpm.tpm2bPublic(key, endorsementKey));
    }
}
