package io.onramp.certs.pem;

import io.onramp.certs.error.CertsException;
import io.onramp.certs.error.CertsException.Reason;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads certificates and unencrypted private keys from PEM. Text outside PEM blocks and blocks of
 * other types (e.g. a key next to the certificates, or openssl's "EC PARAMETERS") are skipped.
 * Objects come from the JDK's own providers, so they work unchanged with JSSE and PKIX.
 * I/O failures surface as {@link UncheckedIOException}, bad content as {@link CertsException}
 * with reason MALFORMED.
 */
public final class PemReader {

    /** Generous for a CA bundle; guards against pointing at a huge file by mistake. */
    private static final long MAX_FILE_BYTES = 8L * 1024 * 1024;

    private PemReader() {
    }

    /** All certificates in the file, in order; at least one, or the message names the file. */
    public static List<X509Certificate> readCertificates(Path file) {
        return parseCertificates(read(file), file.toString());
    }

    /** All certificates in the text, in order; at least one. */
    public static List<X509Certificate> parseCertificates(String pem) {
        return parseCertificates(pem, "PEM text");
    }

    /** @param source what the text came from, for messages: a file name, or "PEM text" */
    private static List<X509Certificate> parseCertificates(String pem, String source) {
        Objects.requireNonNull(pem, "pem");
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        List<X509Certificate> certs = new ArrayList<>();
        for (Object object : parseObjects(pem)) {
            if (object instanceof X509CertificateHolder holder) {
                try {
                    certs.add(converter.getCertificate(holder));
                } catch (CertificateException e) {
                    throw malformed("certificate cannot be decoded", e);
                }
            }
        }
        if (certs.isEmpty()) {
            throw malformed("no certificate found in " + source, null);
        }
        return List.copyOf(certs);
    }

    /** The one private key in the file: PKCS#8, PKCS#1 (RSA) or SEC1 (EC), unencrypted. */
    public static PrivateKey readPrivateKey(Path file) {
        PrivateKeyInfo keyInfo = null;
        for (Object object : parseObjects(read(file))) {
            PrivateKeyInfo found = privateKeyInfo(object);
            if (found != null) {
                if (keyInfo != null) {
                    throw malformed("more than one private key in " + file, null);
                }
                keyInfo = found;
            }
        }
        if (keyInfo == null) {
            throw malformed("no private key found in " + file, null);
        }
        try {
            return new JcaPEMKeyConverter().getPrivateKey(keyInfo);
        } catch (IOException | RuntimeException e) {
            throw malformed("private key in " + file + " cannot be decoded", e);
        }
    }

    private static PrivateKeyInfo privateKeyInfo(Object object) {
        if (object instanceof PrivateKeyInfo info) {
            return info;
        }
        if (object instanceof PEMKeyPair pair) {
            return pair.getPrivateKeyInfo();
        }
        if (object instanceof PEMEncryptedKeyPair || object instanceof PKCS8EncryptedPrivateKeyInfo) {
            throw malformed("encrypted private keys are not supported", null);
        }
        return null;
    }

    private static List<Object> parseObjects(String pem) {
        List<Object> objects = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                objects.add(object);
            }
        } catch (IOException | RuntimeException e) {
            // BouncyCastle reports bad base64 or DER as assorted runtime exceptions.
            throw malformed("malformed PEM: " + e.getMessage(), e);
        }
        return objects;
    }

    private static String read(Path file) {
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw malformed(file + " is larger than " + MAX_FILE_BYTES + " bytes", null);
            }
            // Latin-1 never fails to decode; the PEM blocks themselves are ASCII.
            return Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static CertsException malformed(String message, Throwable cause) {
        return new CertsException(Reason.MALFORMED, message, cause);
    }
}
