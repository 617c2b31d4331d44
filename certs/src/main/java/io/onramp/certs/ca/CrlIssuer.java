package io.onramp.certs.ca;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.Objects;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Signs certificate revocation lists (RFC 5280 §5) for a CA: the file an operator configures per CA. */
public final class CrlIssuer {

    private CrlIssuer() {
    }

    /**
     * A CRL from {@code ca} listing {@code revoked} (each must be issued by {@code ca}), valid from
     * {@code thisUpdate} until {@code nextUpdate}.
     */
    public static X509CRL issue(CaMaterial ca, Collection<X509Certificate> revoked, Instant thisUpdate,
            Instant nextUpdate) {
        Objects.requireNonNull(ca, "ca");
        if (!nextUpdate.isAfter(thisUpdate)) {
            throw new IllegalArgumentException("nextUpdate must be after thisUpdate");
        }
        X509Certificate caCert = ca.certificate();
        X509v2CRLBuilder builder = new JcaX509v2CRLBuilder(caCert, Date.from(thisUpdate));
        builder.setNextUpdate(Date.from(nextUpdate));
        for (X509Certificate cert : revoked) {
            if (!cert.getIssuerX500Principal().equals(caCert.getSubjectX500Principal())) {
                throw new IllegalArgumentException("certificate " + cert.getSubjectX500Principal()
                        + " was not issued by " + caCert.getSubjectX500Principal());
            }
            builder.addCRLEntry(cert.getSerialNumber(), Date.from(thisUpdate), CRLReason.keyCompromise);
        }
        try {
            JcaX509ExtensionUtils utils = CertificateAuthority.extensionUtils();
            builder.addExtension(Extension.authorityKeyIdentifier, false,
                    CertificateAuthority.authorityKeyId(caCert, utils));
            // RFC 5280 §5.2.3: conforming CRL issuers include a monotonically increasing number.
            builder.addExtension(Extension.cRLNumber, false,
                    new CRLNumber(BigInteger.valueOf(thisUpdate.getEpochSecond())));
            return new JcaX509CRLConverter().getCRL(builder.build(
                    new JcaContentSignerBuilder(Signing.algorithmFor(ca.privateKey()))
                            .setProvider(CertificateAuthority.BC).build(ca.privateKey())));
        } catch (OperatorCreationException | GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot sign CRL", e);
        }
    }
}
