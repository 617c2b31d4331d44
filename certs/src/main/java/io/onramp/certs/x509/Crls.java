package io.onramp.certs.x509;

import io.onramp.certs.error.CertsException;
import io.onramp.certs.error.CertsException.Reason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CRLException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a certificate revocation list from a PEM ("X509 CRL") or DER file, as openssl writes either. */
public final class Crls {

    private static final long MAX_FILE_BYTES = 16L * 1024 * 1024;
    private static final Pattern PEM = Pattern.compile(
            "-----BEGIN X509 CRL-----([A-Za-z0-9+/=\\s]+)-----END X509 CRL-----");

    private Crls() {
    }

    public static X509CRL read(Path file) {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new CertsException(Reason.MALFORMED, file + " is larger than " + MAX_FILE_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        try {
            return parse(bytes);
        } catch (CertsException e) {
            throw new CertsException(Reason.MALFORMED, file + ": " + e.getMessage(), e);
        }
    }

    /**
     * True when {@code ca} issued {@code crl}: the CRL's issuer is the CA's subject and the CA's key
     * verifies its signature. A CRL is only ever applied to certificates of the CA this holds for.
     */
    public static boolean isIssuedBy(X509CRL crl, X509Certificate ca) {
        if (!crl.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
            return false;
        }
        try {
            crl.verify(ca.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** PEM text or DER bytes; exactly one CRL. */
    public static X509CRL parse(byte[] pemOrDer) {
        byte[] der = pemOrDer;
        // DER always starts with a SEQUENCE tag; anything else is treated as PEM text.
        if (pemOrDer.length > 0 && pemOrDer[0] != 0x30) {
            Matcher m = PEM.matcher(new String(pemOrDer, StandardCharsets.ISO_8859_1));
            if (!m.find()) {
                throw new CertsException(Reason.MALFORMED, "no X509 CRL block and not DER");
            }
            try {
                der = Base64.getMimeDecoder().decode(m.group(1).replaceAll("\\s", ""));
            } catch (IllegalArgumentException e) {
                throw new CertsException(Reason.MALFORMED, "CRL is not valid Base64", e);
            }
        }
        try {
            return (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
        } catch (CRLException | CertificateException | RuntimeException e) {
            throw new CertsException(Reason.MALFORMED, "CRL cannot be decoded", e);
        }
    }
}
