package io.onramp.bench;

import io.onramp.certs.sas.SasTokenSigner;
import io.onramp.certs.sas.SymmetricKeys;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

/**
 * One round's devices, each with a fresh registration ID and a valid SAS token signed with its
 * group-derived key. Made before the round starts, so that signing is not part of the measurement.
 */
final class DeviceBatch {

    private final String[] ids;
    private final String[] tokens;
    private final String[] registerUris;
    private final String[] pollUriPrefixes;

    private DeviceBatch(int size) {
        ids = new String[size];
        tokens = new String[size];
        registerUris = new String[size];
        pollUriPrefixes = new String[size];
    }

    static DeviceBatch create(String prefix, int size, String idScope, String groupKey) {
        return of(IntStream.range(0, size).mapToObj(i -> prefix + i).toList(), idScope, groupKey);
    }

    /** The given registration IDs, in order, each keyed with the derived key of {@code groupKey}. */
    static DeviceBatch of(List<String> registrationIds, String idScope, String groupKey) {
        int size = registrationIds.size();
        DeviceBatch batch = new DeviceBatch(size);
        long expiry = Instant.now().plusSeconds(3600).getEpochSecond();
        for (int i = 0; i < size; i++) {
            String id = registrationIds.get(i);
            String resource = idScope + "/registrations/" + id;
            byte[] deviceKey = SymmetricKeys.decode(SymmetricKeys.deriveDeviceKey(groupKey, id));
            batch.ids[i] = id;
            // skn=registration, raw sr: what the Node SDK sends (spec 4.2).
            batch.tokens[i] = SasTokenSigner.sign(resource, expiry, deviceKey, "registration");
            batch.registerUris[i] = "/" + resource + "/register?api-version=2019-03-31";
            batch.pollUriPrefixes[i] = "/" + resource + "/operations/";
        }
        return batch;
    }

    int size() {
        return ids.length;
    }

    String id(int i) {
        return ids[i];
    }

    String token(int i) {
        return tokens[i];
    }

    String registerUri(int i) {
        return registerUris[i];
    }

    String pollUri(int i, String operationId) {
        return pollUriPrefixes[i] + operationId + "?api-version=2019-03-31";
    }
}
