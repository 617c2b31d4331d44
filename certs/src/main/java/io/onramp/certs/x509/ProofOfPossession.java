package io.onramp.certs.x509;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * Proof of possession of a CA's private key (dps-service-api §11.3): the server hands out a
 * random code, the operator signs a certificate whose subject CN is that code with the CA's key,
 * and the server checks it here. Code expiry and single use are the caller's state to keep.
 */
public final class ProofOfPossession {

    /** Why a verification certificate was refused; the operator may be told, it reveals nothing secret. */
    public enum Outcome {
        VERIFIED,
        /** The CA certificate itself is not a CA (basicConstraints) and could not anchor a group. */
        NOT_A_CA,
        /** The subject CN is not the code handed out (exact, case-sensitive). */
        WRONG_CODE,
        /** The certificate is not signed by the CA's key. */
        NOT_SIGNED_BY_CA,
        EXPIRED,
        NOT_YET_VALID
    }

    /** @param detail for the log and the operator's error message */
    public record Verdict(Outcome outcome, String detail) {

        public Verdict {
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(detail, "detail");
        }

        public boolean verified() {
            return outcome == Outcome.VERIFIED;
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of().withUpperCase();
    /** 128 bits: unguessable, and 32 hex characters fit in a CN (max 64). */
    public static final int CODE_BYTES = 16;
    /** What {@link #newVerificationCode} makes; the server compares the CN with the code exactly (spec 11.3). */
    public static final String CODE_RULE = (CODE_BYTES * 2) + " hexadecimal characters, 0-9 and A-F";
    private static final java.util.regex.Pattern CODE_FORM = java.util.regex.Pattern.compile("[0-9A-F]{" + CODE_BYTES * 2 + "}");

    private ProofOfPossession() {
    }

    /** A fresh random code, 32 upper-case hex characters. */
    public static String newVerificationCode() {
        byte[] bytes = new byte[CODE_BYTES];
        RANDOM.nextBytes(bytes);
        return HEX.formatHex(bytes);
    }

    /**
     * True for text of the form {@link #newVerificationCode} gives (32 upper-case hex characters): what a
     * verification certificate's CN must be, checked before a certificate is signed for something else.
     */
    public static boolean isVerificationCode(String text) {
        return text != null && CODE_FORM.matcher(text).matches();
    }

    /**
     * Checks, in this order: the CA is a CA, the CN equals {@code expectedCode}, the CA's key
     * signed the certificate, and the certificate is valid at {@code clock}.
     */
    public static Verdict verify(X509Certificate caCertificate, X509Certificate verificationCertificate,
            String expectedCode, Clock clock) {
        Objects.requireNonNull(caCertificate, "caCertificate");
        Objects.requireNonNull(verificationCertificate, "verificationCertificate");
        Objects.requireNonNull(expectedCode, "expectedCode");
        if (caCertificate.getBasicConstraints() < 0) {
            return new Verdict(Outcome.NOT_A_CA, caCertificate.getSubjectX500Principal() + " is not a CA certificate");
        }
        Optional<String> cn = SubjectNames.commonName(verificationCertificate);
        // Constant time, though the code is no long-term secret: it is single use and short lived.
        if (cn.isEmpty() || !MessageDigest.isEqual(cn.get().getBytes(StandardCharsets.UTF_8),
                expectedCode.getBytes(StandardCharsets.UTF_8))) {
            return new Verdict(Outcome.WRONG_CODE, "subject CN " + cn.orElse("(none)") + " is not the verification code");
        }
        try {
            verificationCertificate.verify(caCertificate.getPublicKey());
        } catch (GeneralSecurityException | RuntimeException e) {
            return new Verdict(Outcome.NOT_SIGNED_BY_CA, "not signed by the key of "
                    + caCertificate.getSubjectX500Principal());
        }
        try {
            verificationCertificate.checkValidity(Date.from(clock.instant()));
        } catch (CertificateExpiredException e) {
            return new Verdict(Outcome.EXPIRED, "expired at " + verificationCertificate.getNotAfter().toInstant());
        } catch (CertificateNotYetValidException e) {
            return new Verdict(Outcome.NOT_YET_VALID, "not valid before " + verificationCertificate.getNotBefore().toInstant());
        }
        return new Verdict(Outcome.VERIFIED, "possession of " + caCertificate.getSubjectX500Principal() + " proven");
    }
}
