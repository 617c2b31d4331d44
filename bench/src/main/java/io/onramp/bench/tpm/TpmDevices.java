package io.onramp.bench.tpm;

import java.security.KeyPair;
import java.util.stream.IntStream;

/**
 * The bench's TPM devices: each its own RSA-2048 EK (the enrollment compares EKs), all sharing one SRK. A real
 * SRK is per device, but the server only wraps the identity key to it, so one SRK costs the server the same and
 * saves the bench a key generation per device. Keys are made in parallel before anything is measured.
 */
final class TpmDevices {

    private final SoftwareTpm[] tpms;
    private final String[] ids;
    private final String[] bodies;

    TpmDevices(int count) {
        KeyPair srk = SoftwareTpm.rsaKeyPair();
        tpms = IntStream.range(0, count).parallel().mapToObj(i -> new SoftwareTpm(SoftwareTpm.rsaKeyPair(), srk))
                .toArray(SoftwareTpm[]::new);
        ids = new String[count];
        bodies = new String[count];
        for (int i = 0; i < count; i++) {
            ids[i] = String.format("tpm-bench-%06d", i);
            bodies[i] = "{\"registrationId\":\"" + ids[i] + "\",\"tpm\":{\"endorsementKey\":\""
                    + tpms[i].endorsementKey() + "\",\"storageRootKey\":\"" + tpms[i].storageRootKey() + "\"}}";
        }
    }

    int size() {
        return tpms.length;
    }

    String id(int i) {
        return ids[i];
    }

    SoftwareTpm tpm(int i) {
        return tpms[i];
    }

    String registerBody(int i) {
        return bodies[i];
    }
}
