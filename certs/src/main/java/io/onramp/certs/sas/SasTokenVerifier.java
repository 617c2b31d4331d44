package io.onramp.certs.sas;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * Checks a parsed SAS token against candidate keys (primary, then secondary) and the clock
 * (spec section 4.2, rules 2, 3 and 5). It does not compare {@code sr} with the expected resource:
 * the caller knows which registration the request is for. Thread-safe.
 */
public final class SasTokenVerifier {

    /** Outcome of a check. EXPIRED is only reported for a correctly signed token. */
    public enum Verdict { VALID, EXPIRED, BAD_SIGNATURE }

    private final Clock clock;
    private final long allowedSkewSeconds;

    public SasTokenVerifier(Clock clock, Duration allowedSkew) {
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(allowedSkew, "allowedSkew");
        if (allowedSkew.isNegative()) {
            throw new IllegalArgumentException("allowedSkew must not be negative");
        }
        this.allowedSkewSeconds = allowedSkew.getSeconds();
    }

    /** Null or empty entries in {@code candidateKeys} never match. */
    public Verdict verify(SasToken token, List<byte[]> candidateKeys) {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(candidateKeys, "candidateKeys");
        byte[] presented;
        try {
            presented = Base64.getDecoder().decode(token.signature());
        } catch (IllegalArgumentException e) {
            return Verdict.BAD_SIGNATURE;
        }
        byte[] signed = token.stringToSign().getBytes(StandardCharsets.UTF_8);
        boolean matched = false;
        for (byte[] key : candidateKeys) {
            // No early exit, so timing does not tell which key matched.
            if (key != null && key.length > 0) {
                matched |= MessageDigest.isEqual(HmacSha256.mac(key, signed), presented);
            }
        }
        if (!matched) {
            return Verdict.BAD_SIGNATURE;
        }
        return isUnexpired(token.expiresAtEpochSecond()) ? Verdict.VALID : Verdict.EXPIRED;
    }

    // expiry + skew > now, written so that a huge se cannot overflow.
    private boolean isUnexpired(long expiryEpochSecond) {
        long now = clock.instant().getEpochSecond();
        return expiryEpochSecond > now - allowedSkewSeconds;
    }
}
