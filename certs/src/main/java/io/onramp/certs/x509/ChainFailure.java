package io.onramp.certs.x509;

import io.onramp.certs.error.CertsException.Reason;

/**
 * Why a device chain was refused: for the log and for metrics only. Every one of these reaches
 * the device as the same generic refusal (401002 "Unauthorized", CONNACK 5), so that a probe
 * cannot learn which check failed.
 */
public enum ChainFailure {
    /** No certificate, a null entry, or more certificates than any real chain has. */
    MALFORMED(Reason.MALFORMED),
    /** No trusted certificate and no presented certificate is named as the issuer. */
    UNTRUSTED_ISSUER(Reason.UNTRUSTED),
    /** A certificate with the issuer's name exists, but its key did not make this signature. */
    BAD_SIGNATURE(Reason.BAD_SIGNATURE),
    EXPIRED(Reason.EXPIRED),
    NOT_YET_VALID(Reason.EXPIRED),
    /** A certificate that signed another one lacks basicConstraints CA=true. */
    NOT_A_CA(Reason.UNTRUSTED),
    /** More intermediates below a CA than its basicConstraints pathLenConstraint allows. */
    PATH_LENGTH_EXCEEDED(Reason.UNTRUSTED),
    /** keyUsage present without keyCertSign on a CA or without digitalSignature on the leaf. */
    KEY_USAGE(Reason.UNTRUSTED),
    /** extendedKeyUsage present without clientAuth (or anyExtendedKeyUsage). */
    EXTENDED_KEY_USAGE(Reason.UNTRUSTED),
    /** A critical extension this validator does not enforce (e.g. name constraints): fail closed. */
    UNSUPPORTED_CRITICAL_EXTENSION(Reason.UNTRUSTED),
    /** Listed in the CRL configured for its issuer. */
    REVOKED(Reason.REVOKED),
    /** The CRL configured for the issuer is past its nextUpdate: revocation status is unknown, so refuse. */
    CRL_EXPIRED(Reason.REVOKED);

    private final Reason reason;

    ChainFailure(Reason reason) {
        this.reason = reason;
    }

    /** The coarser {@link io.onramp.certs.error.CertsException} reason. */
    public Reason reason() {
        return reason;
    }
}
