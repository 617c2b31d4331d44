package io.onramp.certs.x509;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;

/**
 * Verifies ECDSA signatures on certificates with BouncyCastle's fixed-curve arithmetic, keeping
 * each issuer key decoded. ECDSA verification computes u1·G + u2·Q; G is fixed and Q, the key of
 * the intermediate that signs every device of a group, is the same for thousands of leaves, so the
 * precomputed multiples BouncyCastle attaches to a decoded point are reused from one device to the
 * next. Measured on the 2-core development machine: 3-8k verifications/s against 0.3-0.5k/s for the
 * JDK 17 {@code Signature} (whose P-256 code has no such precomputation for Q).
 *
 * <p>Only what it fully understands takes this path: ECDSA with SHA-256/384/512 and no parameters
 * (RFC 5758 §3.2), a named curve BouncyCastle has a custom implementation of, a DER signature of
 * two integers. Anything else answers {@link Verdict#NOT_HANDLED} and the caller uses the JDK.
 */
final class EcdsaCertificateSignatures {

    enum Verdict { VALID, INVALID, NOT_HANDLED }

    private static final Map<String, String> DIGESTS = Map.of(
            "1.2.840.10045.4.3.2", "SHA-256",
            "1.2.840.10045.4.3.3", "SHA-384",
            "1.2.840.10045.4.3.4", "SHA-512");

    /** Issuer keys seen; a gateway sees a handful, so a crude clear at the bound is enough. */
    private final int capacity;
    private final Map<KeyBytes, ECPublicKeyParameters> keys = new ConcurrentHashMap<>();

    EcdsaCertificateSignatures(int capacity) {
        this.capacity = capacity;
    }

    Verdict verify(X509Certificate certificate, PublicKey issuerKey) {
        String digest = DIGESTS.get(certificate.getSigAlgOID());
        if (digest == null || certificate.getSigAlgParams() != null || !"EC".equals(issuerKey.getAlgorithm())) {
            return Verdict.NOT_HANDLED;
        }
        ECPublicKeyParameters key = key(issuerKey);
        if (key == null) {
            return Verdict.NOT_HANDLED;
        }
        BigInteger[] rs = derSignature(certificate.getSignature());
        if (rs == null) {
            return Verdict.INVALID;
        }
        byte[] hash;
        try {
            hash = MessageDigest.getInstance(digest).digest(certificate.getTBSCertificate());
        } catch (NoSuchAlgorithmException e) {
            return Verdict.NOT_HANDLED;
        } catch (GeneralSecurityException e) {
            return Verdict.INVALID;
        }
        ECDSASigner signer = new ECDSASigner();
        signer.init(false, key);
        return signer.verifySignature(hash, rs[0], rs[1]) ? Verdict.VALID : Verdict.INVALID;
    }

    int cachedKeys() {
        return keys.size();
    }

    private ECPublicKeyParameters key(PublicKey issuerKey) {
        byte[] encoded = issuerKey.getEncoded();
        if (encoded == null) {
            return null;
        }
        KeyBytes id = new KeyBytes(encoded);
        ECPublicKeyParameters known = keys.get(id);
        if (known != null) {
            return known;
        }
        ECPublicKeyParameters decoded = decode(encoded);
        if (decoded != null && capacity > 0) {
            if (keys.size() >= capacity) {
                keys.clear();
            }
            keys.put(id, decoded);
        }
        return decoded;
    }

    /** The key on its named curve, the point checked to be on it (decodePoint does); null if not ours to handle. */
    private static ECPublicKeyParameters decode(byte[] encoded) {
        try {
            SubjectPublicKeyInfo info = SubjectPublicKeyInfo.getInstance(encoded);
            if (!X9ObjectIdentifiers.id_ecPublicKey.equals(info.getAlgorithm().getAlgorithm())
                    || !(info.getAlgorithm().getParameters() instanceof ASN1ObjectIdentifier curveOid)) {
                return null;
            }
            X9ECParameters curve = CustomNamedCurves.getByOID(curveOid);
            if (curve == null) {
                return null;
            }
            ECDomainParameters domain = new ECDomainParameters(curve);
            return new ECPublicKeyParameters(curve.getCurve().decodePoint(info.getPublicKeyData().getOctets()), domain);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** ECDSA-Sig-Value (RFC 3279 §2.2.3): exactly two integers, in DER; the signer refuses any outside [1, n-1]. */
    private static BigInteger[] derSignature(byte[] signature) {
        try {
            ASN1Sequence sequence = ASN1Sequence.getInstance(signature);
            if (sequence.size() != 2 || !Arrays.equals(sequence.getEncoded(ASN1Encoding.DER), signature)) {
                return null;
            }
            BigInteger r = ASN1Integer.getInstance(sequence.getObjectAt(0)).getValue();
            BigInteger s = ASN1Integer.getInstance(sequence.getObjectAt(1)).getValue();
            return new BigInteger[] {r, s};
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    private record KeyBytes(byte[] bytes) {
        @Override
        public boolean equals(Object other) {
            return other instanceof KeyBytes that && Arrays.equals(bytes, that.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }
    }
}
