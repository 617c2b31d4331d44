package io.onramp.bench.tpm;

import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The bench's TPM devices: each its own RSA-2048 EK (the enrollment compares EKs), all sharing one SRK. A real
 * SRK is per device, but the server only wraps the identity key to it, so one SRK costs the server the same and
 * saves the bench a key generation per device. Keys are made in parallel before anything is measured, or read
 * from the key file of an earlier run.
 */
final class TpmDevices {

    private final SoftwareTpm[] tpms;
    private final String[] ids;
    private final String[] bodies;

    TpmDevices(int count) {
        this(SoftwareTpm.rsaKeyPair(), IntStream.range(0, count).parallel().mapToObj(i -> SoftwareTpm.rsaKeyPair())
                .toList());
    }

    private TpmDevices(KeyPair srk, List<KeyPair> endorsementKeys) {
        int count = endorsementKeys.size();
        tpms = endorsementKeys.stream().map(ek -> new SoftwareTpm(ek, srk)).toArray(SoftwareTpm[]::new);
        ids = new String[count];
        bodies = new String[count];
        for (int i = 0; i < count; i++) {
            ids[i] = String.format("tpm-bench-%06d", i);
            bodies[i] = "{\"registrationId\":\"" + ids[i] + "\",\"tpm\":{\"endorsementKey\":\""
                    + tpms[i].endorsementKey() + "\",\"storageRootKey\":\"" + tpms[i].storageRootKey() + "\"}}";
        }
    }

    /**
     * {@code count} devices whose keys come from {@code keyFile} (the SRK first, then the EKs) as far as it has
     * them; the missing ones are made and the file rewritten with them.
     */
    static TpmDevices cached(Path keyFile, int count) throws IOException {
        List<KeyPair> keys = new ArrayList<>(KeyFile.read(keyFile, count + 1));
        int stored = keys.size();
        if (stored < count + 1) {
            keys.addAll(IntStream.range(stored, count + 1).parallel().mapToObj(i -> SoftwareTpm.rsaKeyPair())
                    .toList());
            KeyFile.write(keyFile, keys);
        }
        return new TpmDevices(keys.get(0), keys.subList(1, count + 1));
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
