package io.onramp.certs.ca;

import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.util.IPAddress;

/**
 * Host names to SAN entries and back. IP literals become iPAddress entries, parsed as text so
 * that no DNS lookup ever happens; anything else is a dNSName.
 */
final class SubjectAltNames {

    private SubjectAltNames() {
    }

    static GeneralNames of(List<String> hostNames) {
        return new GeneralNames(hostNames.stream().distinct().map(SubjectAltNames::of).toArray(GeneralName[]::new));
    }

    static GeneralName of(String hostName) {
        if (hostName == null || hostName.isBlank()) {
            throw new IllegalArgumentException("host name must not be blank");
        }
        if (IPAddress.isValidIPv4(hostName) || IPAddress.isValidIPv6(hostName)) {
            return new GeneralName(GeneralName.iPAddress, hostName);
        }
        // A ':' or '%' here is a mistyped IP literal (brackets, zone id), never a DNS name.
        if (!hostName.chars().allMatch(SubjectAltNames::isDnsCharacter)) {
            throw new IllegalArgumentException("not an IP literal, nor a DNS name of letters, digits, '-', '_', '.'"
                    + " and '*' (use punycode): " + hostName);
        }
        return new GeneralName(GeneralName.dNSName, hostName);
    }

    private static boolean isDnsCharacter(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '-' || c == '_' || c == '.' || c == '*';
    }

    /** Whether the certificate's SAN extension names every host, comparing DNS names case-insensitively. */
    static boolean covers(X509Certificate certificate, List<String> hostNames) {
        Set<String> present = keysOf(certificate);
        return hostNames.stream().map(SubjectAltNames::of).map(SubjectAltNames::key).allMatch(present::contains);
    }

    private static Set<String> keysOf(X509Certificate certificate) {
        byte[] extension = certificate.getExtensionValue(Extension.subjectAlternativeName.getId());
        Set<String> keys = new HashSet<>();
        if (extension == null) {
            return keys;
        }
        try {
            byte[] octets = ASN1OctetString.getInstance(extension).getOctets();
            for (GeneralName name : GeneralNames.getInstance(octets).getNames()) {
                keys.add(key(name));
            }
        } catch (RuntimeException e) {
            // An unreadable SAN covers nothing; the caller then issues a fresh certificate.
            return Set.of();
        }
        return keys;
    }

    private static String key(GeneralName name) {
        switch (name.getTagNo()) {
            case GeneralName.dNSName:
                return "dns:" + ((ASN1String) name.getName()).getString().toLowerCase(Locale.ROOT);
            case GeneralName.iPAddress:
                return "ip:" + HexFormat.of().formatHex(ASN1OctetString.getInstance(name.getName()).getOctets());
            default:
                return "other:" + name;
        }
    }
}
