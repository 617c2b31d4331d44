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
    private final int offset;
    private final int size;

    private TpmDevices(TpmDevices all, int offset, int size) {
        this.tpms = all.tpms;
        this.ids = all.ids;
        this.bodies = all.bodies;
        this.offset = all.offset + offset;
        this.size = size;
    }

    TpmDevices(int count) {
        offset = 0;
        size = count;
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

    /** Devices {@code from} to {@code from + count - 1} of this set, indexed from 0. */
    TpmDevices slice(int from, int count) {
        if (from < 0 || count < 0 || from + count > size) {
            throw new IndexOutOfBoundsException(from + "+" + count + " of " + size);
        }
        return new TpmDevices(this, from, count);
    }

    int size() {
        return size;
    }

    String id(int i) {
        return ids[offset + i];
    }

    SoftwareTpm tpm(int i) {
        return tpms[offset + i];
    }

    String registerBody(int i) {
        return bodies[offset + i];
    }
}
