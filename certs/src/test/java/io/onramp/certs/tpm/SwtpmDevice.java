package io.onramp.certs.tpm;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

/**
 * A TPM device as the Azure SDKs drive it (spec §5.1, §5.6), made of a {@link SwtpmProcess} and {@link Tpm2Tools}:
 * an RSA EK persisted at 0x81010001 and an SRK with the SDK template at 0x81000001; {@link #activateIdentityKey}
 * runs PolicySecret(endorsement), ActivateCredential(SRK, EK), Import under the SRK with the recovered inner key,
 * Load, and persists the identity key at 0x81000100 (replacing a previous one); {@link #sign} is TPM2_HMAC with it,
 * which is how a device signs its SAS tokens.
 *
 * <p>Use one per test class or test (start costs well under a second), from one thread at a time; every call
 * blocks on tpm2-tools. Example:
 *
 * <pre>{@code
 * try (SwtpmDevice device = SwtpmDevice.start(tempDir)) {
 *     byte[] blob = IdentityKeyChallenge.build(TpmPublicArea.parse(device.endorsementKey()),
 *             TpmPublicArea.parse(device.storageRootKey()), hmacKey, new byte[0], new SecureRandom());
 *     device.activateIdentityKey(blob);
 *     byte[] signature = device.sign(data); // equals HMAC-SHA256(hmacKey, data)
 * }
 * }</pre>
 */
public final class SwtpmDevice implements AutoCloseable {

    public static final String EK_HANDLE = "0x81010001";
    public static final String SRK_HANDLE = "0x81000001";
    public static final String IDENTITY_KEY_HANDLE = "0x81000100";

    /** The Azure SDKs' SRK template (Java SecurityProviderTPMHsm, Node TpmSecurityClient): RSA-2048, AES-128-CFB. */
    private static final String SRK_ATTRIBUTES =
            "restricted|decrypt|fixedtpm|fixedparent|sensitivedataorigin|userwithauth|noda";
    /** tpm2-tools' credential file: magic 0xBADCC0DE, version 1, then TPM2B_ID_OBJECT and TPM2B_ENCRYPTED_SECRET. */
    private static final byte[] CREDENTIAL_FILE_HEADER = {(byte) 0xBA, (byte) 0xDC, (byte) 0xC0, (byte) 0xDE, 0, 0, 0,
        1};

    private final SwtpmProcess swtpm;
    private final Tpm2Tools tools;
    private final byte[] endorsementKey;
    private final byte[] storageRootKey;
    private boolean identityKeyPersisted;

    private SwtpmDevice(SwtpmProcess swtpm, Tpm2Tools tools) {
        this.swtpm = swtpm;
        this.tools = tools;
        tools.run("tpm2_createek", "-c", EK_HANDLE, "-G", "rsa", "-u", "ek.pub");
        tools.flushTransients();
        tools.run("tpm2_createprimary", "-C", "o", "-g", "sha256", "-G", "rsa2048:aes128cfb", "-a", SRK_ATTRIBUTES,
                "-c", "srk.ctx");
        tools.run("tpm2_evictcontrol", "-C", "o", "-c", "srk.ctx", SRK_HANDLE);
        tools.flushTransients();
        tools.run("tpm2_readpublic", "-c", SRK_HANDLE, "-o", "srk.pub");
        tools.flushTransients();
        this.endorsementKey = tools.read("ek.pub");
        this.storageRootKey = tools.read("srk.pub");
    }

    /** Starts swtpm with its files in {@code dir} (which must exist), then creates and persists the EK and SRK. */
    public static SwtpmDevice start(Path dir) {
        return start(dir, null);
    }

    /** {@link #start(Path)} with the simulator on {@code host} (a loopback address), or 127.0.0.1 when null. */
    public static SwtpmDevice start(Path dir, String host) {
        SwtpmProcess swtpm = host == null ? SwtpmProcess.start(dir) : SwtpmProcess.start(dir, host);
        try {
            return new SwtpmDevice(swtpm, new Tpm2Tools(swtpm.tcti(), dir));
        } catch (RuntimeException e) {
            swtpm.close();
            throw e;
        }
    }

    /** The EK's {@code TPM2B_PUBLIC}, as the SDKs send it (base64) in {@code tpm.endorsementKey}. */
    public byte[] endorsementKey() {
        return endorsementKey.clone();
    }

    /** The SRK's {@code TPM2B_PUBLIC}, as the SDKs send it (base64) in {@code tpm.storageRootKey}. */
    public byte[] storageRootKey() {
        return storageRootKey.clone();
    }

    public String endorsementKeyBase64() {
        return Base64.getEncoder().encodeToString(endorsementKey);
    }

    public String storageRootKeyBase64() {
        return Base64.getEncoder().encodeToString(storageRootKey);
    }

    /** {@link #activateIdentityKey(byte[])} of the base64 {@code authenticationKey} of a 401 challenge. */
    public byte[] activateIdentityKey(String authenticationKeyBase64) {
        return activateIdentityKey(Base64.getDecoder().decode(authenticationKeyBase64));
    }

    /**
     * Activates the blob as the SDKs do and persists the identity key. Fails (IllegalStateException with the tool's
     * error) if the TPM refuses any step, e.g. a blob made for another EK or SRK.
     *
     * @return the inner wrapper key the TPM recovered from the credential (the key of encUriData)
     */
    public byte[] activateIdentityKey(byte[] authenticationKey) {
        ChallengeItems items = ChallengeItems.split(authenticationKey);
        tools.write("credential.bin", CREDENTIAL_FILE_HEADER, items.idObject(), items.encryptedCredentialSeed());
        tools.write("identity.dpriv", items.duplicate());
        tools.write("identity.seed", items.encryptedDuplicationSeed());
        tools.write("identity.pub", items.identityPublic());
        try {
            // The EK's policy A is PolicySecret(TPM_RH_ENDORSEMENT) with an empty endorsement auth.
            tools.run("tpm2_startauthsession", "--policy-session", "-S", "session.ctx");
            tools.run("tpm2_policysecret", "-S", "session.ctx", "-c", "e");
            tools.run("tpm2_activatecredential", "-c", SRK_HANDLE, "-C", EK_HANDLE, "-i", "credential.bin",
                    "-o", "inner.key", "-P", "session:session.ctx");
            tools.flushTransients();
            tools.run("tpm2_import", "-C", SRK_HANDLE, "-u", "identity.pub", "-i", "identity.dpriv",
                    "-s", "identity.seed", "-k", "inner.key", "-r", "identity.priv");
            tools.flushTransients();
            tools.run("tpm2_load", "-C", SRK_HANDLE, "-u", "identity.pub", "-r", "identity.priv",
                    "-c", "identity.ctx");
            if (identityKeyPersisted) {
                tools.run("tpm2_evictcontrol", "-C", "o", "-c", IDENTITY_KEY_HANDLE);
                identityKeyPersisted = false;
            }
            tools.run("tpm2_evictcontrol", "-C", "o", "-c", "identity.ctx", IDENTITY_KEY_HANDLE);
            identityKeyPersisted = true;
        } finally {
            tools.flushTransients();
        }
        return tools.read("inner.key");
    }

    /** TPM2_HMAC (SHA-256) of {@code data} with the identity key of the last activation. */
    public byte[] sign(byte[] data) {
        if (!identityKeyPersisted) {
            throw new IllegalStateException("no identity key: activate a challenge first");
        }
        tools.write("to-sign.bin", data);
        try {
            tools.run("tpm2_hmac", "-c", IDENTITY_KEY_HANDLE, "-g", "sha256", "-o", "signature.bin", "to-sign.bin");
        } finally {
            tools.flushTransients();
        }
        return tools.read("signature.bin");
    }

    /** {@link #sign} of the UTF-8 bytes of {@code text}, base64-encoded: the {@code sig} of a SAS token. */
    public String signBase64(String text) {
        return Base64.getEncoder().encodeToString(sign(text.getBytes(StandardCharsets.UTF_8)));
    }

    public Tpm2Tools tools() {
        return tools;
    }

    public SwtpmProcess swtpm() {
        return swtpm;
    }

    /** Stops the simulator; its files stay in the directory given to {@link #start}. */
    @Override
    public void close() {
        swtpm.close();
    }
}
