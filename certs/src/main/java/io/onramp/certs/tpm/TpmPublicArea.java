package io.onramp.certs.tpm;

import static io.onramp.certs.tpm.TpmConstants.ALG_AES;
import static io.onramp.certs.tpm.TpmConstants.ALG_CFB;
import static io.onramp.certs.tpm.TpmConstants.ALG_ECC;
import static io.onramp.certs.tpm.TpmConstants.ALG_NULL;
import static io.onramp.certs.tpm.TpmConstants.ALG_RSA;
import static io.onramp.certs.tpm.TpmConstants.ALG_SHA256;
import static io.onramp.certs.tpm.TpmConstants.ATTR_DECRYPT;
import static io.onramp.certs.tpm.TpmConstants.ATTR_RESTRICTED;
import static io.onramp.certs.tpm.TpmConstants.ATTR_SIGN;
import static io.onramp.certs.tpm.TpmConstants.SHA256_SIZE;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;

/**
 * A parsed {@code TPM2B_PUBLIC} of an RSA storage key: the endorsement key (EK) or the storage root key (SRK) as
 * the Azure device SDKs send them (spec §5.1). Only what the server can wrap secrets to is accepted: RSA 2048, 3072
 * or 4096 bits, name algorithm SHA-256, restricted decryption ({@code restricted|decrypt}, not {@code sign}), an
 * AES-CFB symmetric definition and a NULL scheme (TPM 2.0 Part 2, 12.2.3.5 and 12.2.3.2). Anything else is a
 * {@link TpmFormatException}. Immutable and thread-safe.
 */
public final class TpmPublicArea {

    private static final Set<Integer> RSA_KEY_BITS = Set.of(2048, 3072, 4096);
    private static final Set<Integer> AES_KEY_BITS = Set.of(128, 192, 256);
    private static final int DEFAULT_EXPONENT = 65537;

    private final byte[] encoded;
    private final byte[] name;
    private final int objectAttributes;
    private final int symmetricKeyBits;
    private final BigInteger modulus;
    private final BigInteger exponent;
    private volatile RSAPublicKey rsaPublicKey;

    private TpmPublicArea(byte[] encoded, int objectAttributes, int symmetricKeyBits, BigInteger modulus,
            BigInteger exponent) {
        this.encoded = encoded;
        this.name = TpmNames.sha256Name(encoded);
        this.objectAttributes = objectAttributes;
        this.symmetricKeyBits = symmetricKeyBits;
        this.modulus = modulus;
        this.exponent = exponent;
    }

    /** Parses a marshalled {@code TPM2B_PUBLIC} (UINT16 size, then the {@code TPMT_PUBLIC}); no trailing bytes. */
    public static TpmPublicArea parse(byte[] tpm2bPublic) throws TpmFormatException {
        if (tpm2bPublic == null) {
            throw new TpmFormatException("TPM2B_PUBLIC is missing");
        }
        TpmReader outer = new TpmReader(tpm2bPublic, "TPM2B_PUBLIC");
        byte[] body = outer.tpm2b("publicArea");
        outer.requireEnd();
        return parseTpmtPublic(body);
    }

    /** {@link #parse} of standard base64 (as in the {@code tpm.endorsementKey}/{@code storageRootKey} fields). */
    public static TpmPublicArea parseBase64(String base64) throws TpmFormatException {
        if (base64 == null) {
            throw new TpmFormatException("TPM2B_PUBLIC is missing");
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new TpmFormatException("TPM2B_PUBLIC is not valid base64: " + e.getMessage());
        }
        return parse(bytes);
    }

    private static TpmPublicArea parseTpmtPublic(byte[] body) throws TpmFormatException {
        TpmReader in = new TpmReader(body, "TPMT_PUBLIC");
        int type = in.u16("type");
        if (type == ALG_ECC) {
            throw new TpmFormatException("ECC keys are not supported, only RSA");
        }
        if (type != ALG_RSA) {
            throw new TpmFormatException(String.format("key type 0x%04X is not RSA (0x0001)", type));
        }
        int nameAlg = in.u16("nameAlg");
        if (nameAlg != ALG_SHA256) {
            throw new TpmFormatException(String.format("nameAlg 0x%04X is not SHA-256 (0x000B)", nameAlg));
        }
        int attributes = in.u32("objectAttributes");
        byte[] authPolicy = in.tpm2b("authPolicy");
        if (authPolicy.length != 0 && authPolicy.length != SHA256_SIZE) {
            throw new TpmFormatException("authPolicy has " + authPolicy.length + " bytes, not 0 or 32");
        }
        int symmetricKeyBits = readAesCfb(in);
        int scheme = in.u16("scheme");
        if (scheme != ALG_NULL) {
            throw new TpmFormatException(String.format("scheme 0x%04X is not NULL, as a storage key's must be", scheme));
        }
        int keyBits = in.u16("keyBits");
        if (!RSA_KEY_BITS.contains(keyBits)) {
            throw new TpmFormatException("RSA keyBits " + keyBits + " is not 2048, 3072 or 4096");
        }
        long exponent = Integer.toUnsignedLong(in.u32("exponent"));
        if (exponent == 0) {
            exponent = DEFAULT_EXPONENT;
        } else if (exponent < 3 || exponent % 2 == 0) {
            throw new TpmFormatException("RSA exponent " + exponent + " is not an odd number of at least 3");
        }
        byte[] modulus = in.tpm2b("unique");
        if (modulus.length != keyBits / 8 || modulus[0] == 0) {
            throw new TpmFormatException("RSA modulus has " + modulus.length + " bytes (leading "
                    + (modulus.length == 0 ? "none" : Integer.toString(modulus[0] & 0xFF)) + "), not a "
                    + keyBits + "-bit number");
        }
        in.requireEnd();
        requireRestrictedDecryption(attributes);
        return new TpmPublicArea(body, attributes, symmetricKeyBits, new BigInteger(1, modulus),
                BigInteger.valueOf(exponent));
    }

    /** TPMT_SYM_DEF_OBJECT: a storage key needs one, and secrets are wrapped to it with AES-CFB (Part 1, 23.3). */
    private static int readAesCfb(TpmReader in) throws TpmFormatException {
        int algorithm = in.u16("symmetric.algorithm");
        if (algorithm == ALG_NULL) {
            throw new TpmFormatException("symmetric is NULL: not a restricted decryption (storage) key");
        }
        if (algorithm != ALG_AES) {
            throw new TpmFormatException(String.format("symmetric algorithm 0x%04X is not AES (0x0006)", algorithm));
        }
        int keyBits = in.u16("symmetric.keyBits");
        if (!AES_KEY_BITS.contains(keyBits)) {
            throw new TpmFormatException("symmetric AES keyBits " + keyBits + " is not 128, 192 or 256");
        }
        int mode = in.u16("symmetric.mode");
        if (mode != ALG_CFB) {
            throw new TpmFormatException(String.format("symmetric mode 0x%04X is not CFB (0x0043)", mode));
        }
        return keyBits;
    }

    private static void requireRestrictedDecryption(int attributes) throws TpmFormatException {
        if ((attributes & (ATTR_RESTRICTED | ATTR_DECRYPT)) != (ATTR_RESTRICTED | ATTR_DECRYPT)
                || (attributes & ATTR_SIGN) != 0) {
            throw new TpmFormatException(String.format(
                    "objectAttributes 0x%08X are not those of a restricted decryption key"
                            + " (restricted 0x00010000 and decrypt 0x00020000 set, sign 0x00040000 clear)",
                    attributes));
        }
    }


    /** The TPM Name: UINT16 nameAlg (0x000B) followed by SHA-256 of {@link #encoded()}; 34 bytes. */
    public byte[] name() {
        return name.clone();
    }

    /**
     * The key as a JDK key, made on first use: the JDK encodes it to DER when making it, which cost a challenge's
     * event loop as much as the rest of the parse, and only the RSA encryption (on a worker) needs it. The parse's
     * checks (2048 to 4096 bits, a 32-bit odd exponent) leave nothing for the JDK to refuse.
     */
    public RSAPublicKey rsaPublicKey() {
        RSAPublicKey key = rsaPublicKey;
        if (key == null) {
            try {
                key = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(modulus,
                        exponent));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("RSA public key of a checked TPM public area refused", e);
            }
            rsaPublicKey = key;
        }
        return key;
    }

    /** TPMA_OBJECT bits (TPM 2.0 Part 2, 8.3). */
    public int objectAttributes() {
        return objectAttributes;
    }

    /** Key size of the AES-CFB symmetric definition, e.g. 128; the size of keys derived for wrapping to this key. */
    public int symmetricKeyBits() {
        return symmetricKeyBits;
    }

    /**
     * Whether this is a restricted decryption key with an AES symmetric definition, as an EK and a storage key must
     * be. Always true for an instance {@link #parse} returned, which refuses anything else; kept so that callers can
     * state the requirement where they rely on it.
     */
    public boolean isRestrictedDecryptionKey() {
        return (objectAttributes & (ATTR_RESTRICTED | ATTR_DECRYPT)) == (ATTR_RESTRICTED | ATTR_DECRYPT)
                && (objectAttributes & ATTR_SIGN) == 0 && symmetricKeyBits > 0;
    }

    /** The marshalled {@code TPMT_PUBLIC}, without the 2-byte size of the {@code TPM2B_PUBLIC}. */
    public byte[] encoded() {
        return encoded.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TpmPublicArea that && Arrays.equals(encoded, that.encoded);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoded);
    }

    @Override
    public String toString() {
        return "TpmPublicArea[RSA-" + rsaPublicKey.getModulus().bitLength() + ", attributes="
                + String.format("0x%08X", objectAttributes) + ", AES-" + symmetricKeyBits + "-CFB]";
    }
}
