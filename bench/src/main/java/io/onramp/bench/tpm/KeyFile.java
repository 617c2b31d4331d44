package io.onramp.bench.tpm;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.List;

/**
 * The bench devices' RSA key pairs kept between runs (count, then each private key as PKCS#8 with its length), so
 * that a rerun skips the minutes of RSA-2048 generation. Test keys of a bench, nothing else: the file is plain.
 */
final class KeyFile {

    private KeyFile() {}

    /** The pairs stored in {@code file}, at most {@code max}; none when it is missing or unreadable. */
    static List<KeyPair> read(Path file, int max) {
        List<KeyPair> pairs = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            return pairs;
        }
        try (InputStream in = Files.newInputStream(file); DataInputStream data = new DataInputStream(in)) {
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            int count = Math.min(data.readInt(), max);
            for (int i = 0; i < count; i++) {
                byte[] encoded = new byte[data.readInt()];
                data.readFully(encoded);
                RSAPrivateCrtKey key = (RSAPrivateCrtKey) rsa.generatePrivate(new PKCS8EncodedKeySpec(encoded));
                pairs.add(new KeyPair(rsa.generatePublic(new RSAPublicKeySpec(key.getModulus(),
                        key.getPublicExponent())), key));
            }
            return pairs;
        } catch (IOException | GeneralSecurityException | ClassCastException e) {
            System.err.println("key file " + file + " ignored: " + e);
            return new ArrayList<>();
        }
    }

    static void write(Path file, List<KeyPair> pairs) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        try (OutputStream out = Files.newOutputStream(partial); DataOutputStream data = new DataOutputStream(out)) {
            data.writeInt(pairs.size());
            for (KeyPair pair : pairs) {
                byte[] encoded = pair.getPrivate().getEncoded();
                data.writeInt(encoded.length);
                data.write(encoded);
            }
        }
        Files.move(partial, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
