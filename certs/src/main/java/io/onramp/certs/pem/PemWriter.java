package io.onramp.certs.pem;

import io.onramp.certs.error.CertsException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CRLException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Objects;
import java.util.Set;

/** Writes certificates and keys as PEM text (RFC 7468), and PEM files atomically. */
public final class PemWriter {

    private static final Base64.Encoder BASE64 = Base64.getMimeEncoder(64, new byte[] {'\n'});
    private static final Set<PosixFilePermission> SECRET = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

    private PemWriter() {
    }

    /** One CERTIFICATE block per certificate, in the given order (leaf first for a chain). */
    public static String toPem(X509Certificate... certs) {
        Objects.requireNonNull(certs, "certs");
        StringBuilder pem = new StringBuilder();
        for (X509Certificate cert : certs) {
            try {
                block(pem, "CERTIFICATE", Objects.requireNonNull(cert, "certificate").getEncoded());
            } catch (CertificateEncodingException e) {
                throw new CertsException(CertsException.Reason.MALFORMED, "certificate cannot be encoded", e);
            }
        }
        return pem.toString();
    }

    /** One "X509 CRL" block, the form openssl and {@code io.onramp.certs.x509.Crls} read. */
    public static String toPem(X509CRL crl) {
        Objects.requireNonNull(crl, "crl");
        try {
            return block(new StringBuilder(), "X509 CRL", crl.getEncoded()).toString();
        } catch (CRLException e) {
            throw new CertsException(CertsException.Reason.MALFORMED, "CRL cannot be encoded", e);
        }
    }

    /** The key as unencrypted PKCS#8 ("PRIVATE KEY"). */
    public static String toPem(PrivateKey key) {
        Objects.requireNonNull(key, "key");
        byte[] encoded = key.getEncoded();
        if (encoded == null || !"PKCS#8".equals(key.getFormat())) {
            // e.g. a key held in a hardware token
            throw new IllegalArgumentException("private key is not exportable as PKCS#8");
        }
        return block(new StringBuilder(), "PRIVATE KEY", encoded).toString();
    }

    /**
     * Replaces {@code file} with {@code pem} through a temporary file in the same directory, so a
     * reader never sees half a file. A secret file gets mode 600 on POSIX file systems, from the
     * moment it is created; other files get 644.
     */
    public static void write(Path file, String pem, boolean secret) {
        Objects.requireNonNull(pem, "pem");
        Path target = file.toAbsolutePath();
        Path temp = null;
        try {
            temp = createTemp(target, secret);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(pem.getBytes(StandardCharsets.US_ASCII));
                while (bytes.hasRemaining()) {
                    channel.write(bytes);
                }
                channel.force(true);
            }
            move(temp, target);
            temp = null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        } finally {
            deleteQuietly(temp);
        }
    }

    private static Path createTemp(Path target, boolean secret) throws IOException {
        Path dir = target.getParent();
        String prefix = "." + target.getFileName() + ".";
        if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
            Path temp = Files.createTempFile(dir, prefix, ".tmp",
                    PosixFilePermissions.asFileAttribute(secret ? SECRET : PUBLIC));
            // The umask may have narrowed the mode at creation; set it exactly.
            Files.setPosixFilePermissions(temp, secret ? SECRET : PUBLIC);
            return temp;
        }
        return Files.createTempFile(dir, prefix, ".tmp");
    }

    private static void move(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path temp) {
        if (temp != null) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the write already failed; that is the error worth reporting
            }
        }
    }

    private static StringBuilder block(StringBuilder out, String type, byte[] der) {
        return out.append("-----BEGIN ").append(type).append("-----\n")
                .append(BASE64.encodeToString(der)).append('\n')
                .append("-----END ").append(type).append("-----\n");
    }
}
