package io.onramp.certs.tpm;

import java.util.ArrayList;
import java.util.List;

/**
 * The six items of an {@code authenticationKey} blob (spec §5.2), each as marshalled with its 2-byte size, split the
 * way the SDKs read them: exactly six TPM2B structures, nothing after the sixth.
 */
public record ChallengeItems(byte[] idObject, byte[] encryptedCredentialSeed, byte[] duplicate,
        byte[] encryptedDuplicationSeed, byte[] identityPublic, byte[] encUriData) {

    public static final int COUNT = 6;

    /** @throws IllegalArgumentException if the blob is not exactly six TPM2B items */
    public static ChallengeItems split(byte[] blob) {
        TpmReader in = new TpmReader(blob, "authenticationKey");
        List<byte[]> items = new ArrayList<>(COUNT);
        try {
            for (int i = 1; i <= COUNT; i++) {
                items.add(TpmWriter.sized(in.tpm2b("item " + i)));
            }
            in.requireEnd();
        } catch (TpmFormatException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return new ChallengeItems(items.get(0), items.get(1), items.get(2), items.get(3), items.get(4), items.get(5));
    }

    /** An item without its 2-byte size. */
    public static byte[] content(byte[] item) {
        return java.util.Arrays.copyOfRange(item, 2, item.length);
    }
}
