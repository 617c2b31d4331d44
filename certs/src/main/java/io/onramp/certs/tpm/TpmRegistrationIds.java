package io.onramp.certs.tpm;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import org.bouncycastle.util.encoders.Base32;

/**
 * The registration ID the Azure device SDKs derive from the EK when none is configured (spec §1.3): lower-case
 * RFC 4648 base32 of SHA-256 over the marshalled {@code TPM2B_PUBLIC} (size prefix included), without the
 * {@code =} padding; 52 characters. Java {@code SecurityProviderTpm#getRegistrationId} (security-provider 2.0.1:
 * commons-codec Base32, lower-cased, '=' removed), Node {@code TpmSecurityClient.getRegistrationId} and the C SDK
 * ({@code prov_auth_client.c}: SHA-256, then azure-c-shared-utility's base32, whose alphabet is lower case, with the
 * padding cut) agree. Devices may override it with a configured ID; this is only the default.
 */
public final class TpmRegistrationIds {

    private TpmRegistrationIds() {
    }

    /** @param tpm2bPublic the EK exactly as the device sent it (base64-decoded), size prefix included */
    public static String fromEndorsementKey(byte[] tpm2bPublic) {
        Objects.requireNonNull(tpm2bPublic, "tpm2bPublic");
        String base32 = new String(Base32.encode(Sha256.digest(tpm2bPublic)), StandardCharsets.US_ASCII);
        return base32.replace("=", "").toLowerCase(Locale.ROOT);
    }
}
