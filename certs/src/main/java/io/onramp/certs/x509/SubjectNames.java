package io.onramp.certs.x509;

import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;

/** The subject common name: the registration ID of a DPS device and the device ID at the hub. */
public final class SubjectNames {

    private SubjectNames() {
    }

    /**
     * The subject's one CN, read from the encoded name (never by parsing display text, where
     * escaped commas could fake a CN). Empty when there is no CN, or more than one: with two CNs
     * it is ambiguous which one identifies the device, so neither does.
     */
    public static Optional<String> commonName(X509Certificate certificate) {
        return commonName(certificate.getSubjectX500Principal());
    }

    public static Optional<String> commonName(X500Principal principal) {
        X500Name name;
        try {
            name = X500Name.getInstance(principal.getEncoded());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        String found = null;
        for (RDN rdn : name.getRDNs()) {
            for (AttributeTypeAndValue attribute : rdn.getTypesAndValues()) {
                if (attribute.getType().equals(BCStyle.CN)) {
                    if (found != null) {
                        return Optional.empty();
                    }
                    found = text(attribute.getValue());
                    if (found == null) {
                        return Optional.empty();
                    }
                }
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * Whether the certificate's CN is exactly {@code expected}: ordinal and case-sensitive, as the
     * hub compares device IDs (hub spec §2.3) and DPS registration IDs in the request.
     */
    public static boolean commonNameEquals(X509Certificate certificate, String expected) {
        return expected != null && commonName(certificate).map(expected::equals).orElse(false);
    }

    private static String text(ASN1Encodable value) {
        return value instanceof ASN1String string ? string.getString() : null;
    }
}
