package io.onramp.bench.tpm;

import io.onramp.certs.sas.SasTokenSigner;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * What a phased round keeps between its phases, per device: the {@code authenticationKey} blob the gateway's
 * challenge answered, then the SAS token signed with the key the device's TPM recovers from it. The activation runs
 * between the two measured phases on every core, as a fleet's TPMs would each on their own chip: it is the device's
 * work, not the server's. Each index is written by one lane, and read after that lane's round completed.
 */
final class Activations {

    private final String[] blobs;
    private final String[] tokens;

    Activations(int devices) {
        blobs = new String[devices];
        tokens = new String[devices];
    }

    void challenged(int device, String blob) {
        blobs[device] = blob;
    }

    /** The device's signed token, or null when its challenge or its activation failed. */
    String token(int device) {
        return tokens[device];
    }

    /** Activates every challenged device's blob and signs its token; answers how many failed. */
    int activateAll(TpmDevices devices, String idScope) {
        long expiry = Instant.now().getEpochSecond() + 3600;
        AtomicInteger failed = new AtomicInteger();
        IntStream.range(0, blobs.length).parallel().forEach(i -> {
            tokens[i] = null;
            if (blobs[i] == null) {
                failed.incrementAndGet();
                return;
            }
            try {
                byte[] key = devices.tpm(i).activate(blobs[i]);
                tokens[i] = SasTokenSigner.sign(idScope + "/registrations/" + devices.id(i), expiry, key,
                        "registration");
            } catch (Exception e) {
                failed.incrementAndGet();
            }
            blobs[i] = null;
        });
        return failed.get();
    }
}
