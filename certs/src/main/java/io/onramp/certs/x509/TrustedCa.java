package io.onramp.certs.x509;

import io.onramp.certs.error.CertsException;
import io.onramp.certs.error.CertsException.Reason;
import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Objects;
import java.util.Optional;

/**
 * A certificate a device chain may end at: the signing certificate of an enrollment group, a
 * verified CA, or the device certificate of an individual enrollment (then the chain is just that
 * certificate). An optional CRL from this CA revokes certificates it issued.
 *
 * @param label names the anchor in logs (an enrollment group id, a CA certificate name)
 */
public record TrustedCa(X509Certificate certificate, X509CRL crl, String label) {

    public TrustedCa {
        Objects.requireNonNull(certificate, "certificate");
        label = label == null ? certificate.getSubjectX500Principal().toString() : label;
        if (crl != null) {
            requireIssuedBy(crl, certificate);
        }
    }

    public static TrustedCa of(X509Certificate certificate) {
        return new TrustedCa(certificate, null, null);
    }

    public TrustedCa withLabel(String newLabel) {
        return new TrustedCa(certificate, crl, newLabel);
    }

    /**
     * The same anchor with a CRL. Checked here, at configuration time: a CRL that this CA did not
     * sign is refused now rather than silently ignored later.
     *
     * @throws CertsException UNTRUSTED if the CRL's issuer or signature is not this CA's
     */
    public TrustedCa withCrl(X509CRL newCrl) {
        return new TrustedCa(certificate, Objects.requireNonNull(newCrl, "crl"), label);
    }

    public Optional<X509CRL> revocationList() {
        return Optional.ofNullable(crl);
    }

    private static void requireIssuedBy(X509CRL crl, X509Certificate ca) {
        if (!crl.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
            throw new CertsException(Reason.UNTRUSTED, "CRL issuer " + crl.getIssuerX500Principal()
                    + " is not " + ca.getSubjectX500Principal());
        }
        try {
            crl.verify(ca.getPublicKey());
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new CertsException(Reason.BAD_SIGNATURE, "CRL is not signed by " + ca.getSubjectX500Principal(), e);
        }
    }

    @Override
    public String toString() {
        return "TrustedCa[" + label + (crl != null ? ", with CRL" : "") + "]";
    }
}
