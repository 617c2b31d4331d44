package io.onramp.gateway.support;

import io.onramp.certs.text.PercentCodec;
import io.onramp.certs.tpm.SwtpmDevice;
import io.onramp.certs.tpm.TpmRegistrationIds;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A TPM device of the tests: swtpm as its TPM, tpm2-tools as its TPM software (certs' {@link SwtpmDevice}), and the
 * request bodies and SAS tokens an SDK makes from them, every signature computed by TPM2_HMAC inside the simulator.
 */
public final class TpmDevice implements AutoCloseable {

    private final SwtpmDevice tpm;

    private TpmDevice(SwtpmDevice tpm) {
        this.tpm = tpm;
    }

    /** Starts a simulator with its state in {@code dir} and creates its EK and SRK. */
    public static TpmDevice start(Path dir) {
        return new TpmDevice(SwtpmDevice.start(dir));
    }

    public SwtpmDevice tpm() {
        return tpm;
    }

    public String endorsementKey() {
        return tpm.endorsementKeyBase64();
    }

    public String storageRootKey() {
        return tpm.storageRootKeyBase64();
    }

    /** The registration ID the SDKs derive from the EK when none is configured (spec 1.3). */
    public String derivedRegistrationId() {
        return TpmRegistrationIds.fromEndorsementKey(tpm.endorsementKey());
    }

    /** The register body a TPM device sends (spec 2.1), with this TPM's EK and SRK. */
    public String registerBody(String registrationId) {
        return new JsonObject().put("registrationId", registrationId)
                .put("tpm", new JsonObject().put("endorsementKey", endorsementKey()).put("storageRootKey", storageRootKey()))
                .encode();
    }

    /** Imports the identity key of a challenge (or of an assigned answer), as the SDKs do (spec 5.6). */
    public void activate(String authenticationKey) {
        tpm.activateIdentityKey(authenticationKey);
    }

    /** A DPS token, {@code sr} raw as Java sends it, signed in the TPM with the identity key. */
    public String registrationToken(String idScope, String registrationId, long expiryEpochSecond) {
        return token(idScope + "/registrations/" + registrationId, expiryEpochSecond, "registration");
    }

    public String registrationToken(String registrationId) {
        return registrationToken(TestGateway.ID_SCOPE, registrationId, Instant.now().getEpochSecond() + 3600);
    }

    /** A hub token for the device (hub spec: {@code sr={hub}/devices/{deviceId}}), signed in the TPM. */
    public String hubToken(String hub, String deviceId) {
        return token(hub + "/devices/" + deviceId, Instant.now().getEpochSecond() + 3600, null);
    }

    /** Base64 TPM2_HMAC of {@code text} with the identity key. */
    public String sign(String text) {
        return tpm.signBase64(text);
    }

    private String token(String resource, long expiry, String keyName) {
        String signature = tpm.signBase64(resource + "\n" + expiry);
        return "SharedAccessSignature sr=" + resource + "&sig=" + PercentCodec.encode(signature) + "&se=" + expiry
                + (keyName == null ? "" : "&skn=" + keyName);
    }

    @Override
    public void close() {
        tpm.close();
    }
}
