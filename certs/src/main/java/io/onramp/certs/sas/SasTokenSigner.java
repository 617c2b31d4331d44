package io.onramp.certs.sas;

import io.onramp.certs.text.PercentCodec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Objects;

/** Makes SAS tokens the way the device SDKs do (spec section 4.1). Thread-safe. */
public final class SasTokenSigner {

    private SasTokenSigner() {
    }

    /**
     * Builds {@code SharedAccessSignature sr=..&sig=..&se=..[&skn=..]}.
     *
     * @param resourceAsSent the {@code sr} text, already encoded as the caller wants it on the
     *     wire; it is signed exactly as given
     * @param keyNameOrNull {@code skn}, percent-encoded into the token; omitted when null
     */
    public static String sign(String resourceAsSent, long expiryEpochSecond, byte[] key, String keyNameOrNull) {
        Objects.requireNonNull(resourceAsSent, "resourceAsSent");
        if (resourceAsSent.isEmpty() || resourceAsSent.indexOf('&') >= 0) {
            throw new IllegalArgumentException("resource must be non-empty and contain no '&'");
        }
        if (expiryEpochSecond < 0) {
            throw new IllegalArgumentException("expiry must not be negative");
        }
        String expiry = Long.toString(expiryEpochSecond);
        String sig = signature(key, resourceAsSent + "\n" + expiry);
        StringBuilder token = new StringBuilder(SasToken.PREFIX)
                .append("sr=").append(resourceAsSent)
                .append("&sig=").append(PercentCodec.encode(sig))
                .append("&se=").append(expiry);
        if (keyNameOrNull != null) {
            token.append("&skn=").append(PercentCodec.encode(keyNameOrNull));
        }
        return token.toString();
    }

    /** Standard, padded base64 of HMAC-SHA256(key, UTF-8(stringToSign)). */
    public static String signature(byte[] key, String stringToSign) {
        Objects.requireNonNull(stringToSign, "stringToSign");
        return Base64.getEncoder().encodeToString(HmacSha256.mac(key, stringToSign.getBytes(StandardCharsets.UTF_8)));
    }
}
