package io.onramp.certs.x509;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.certs.ca.CaMaterial;
import io.onramp.certs.ca.CertificateBuilder;
import io.onramp.certs.ca.KeyAlgorithm;
import org.junit.jupiter.api.Test;

class KeyOwnershipTest {

    static CaMaterial root(KeyAlgorithm algorithm) {
        return CertificateBuilder.rootCa("key ownership " + algorithm).keyAlgorithm(algorithm).issue();
    }

    @Test
    void aCertificatesOwnKeyBelongsToIt() {
        for (KeyAlgorithm algorithm : new KeyAlgorithm[] {KeyAlgorithm.EC_P256, KeyAlgorithm.RSA_2048}) {
            CaMaterial material = root(algorithm);

            assertThat(KeyOwnership.belongsTo(material.privateKey(), material.certificate())).as(algorithm.name()).isTrue();
        }
    }

    @Test
    void anotherKeyOfTheSameOrAnotherTypeDoesNot() {
        CaMaterial ec = root(KeyAlgorithm.EC_P256);
        CaMaterial otherEc = root(KeyAlgorithm.EC_P256);
        CaMaterial rsa = root(KeyAlgorithm.RSA_2048);
        CaMaterial otherRsa = root(KeyAlgorithm.RSA_2048);

        assertThat(KeyOwnership.belongsTo(otherEc.privateKey(), ec.certificate())).isFalse();
        assertThat(KeyOwnership.belongsTo(otherRsa.privateKey(), rsa.certificate())).isFalse();
        assertThat(KeyOwnership.belongsTo(rsa.privateKey(), ec.certificate())).isFalse();
        assertThat(KeyOwnership.belongsTo(ec.privateKey(), rsa.certificate())).isFalse();
    }

    @Test
    void anEcKeyReadByBouncyCastleStillBelongsToItsCertificate() throws Exception {
        // BouncyCastle names EC keys "ECDSA" where a library made it the first provider (the Azure SDK's TPM provider,
        // in the tests): a restart then refused the gateway's own CA key as "not the key of ca.pem".
        CaMaterial ec = root(KeyAlgorithm.EC_P256);
        java.security.Security.insertProviderAt(new org.bouncycastle.jce.provider.BouncyCastleProvider(), 1);
        try {
            java.security.PrivateKey readByBc = java.security.KeyFactory.getInstance("ECDSA")
                    .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(ec.privateKey().getEncoded()));

            assertThat(readByBc.getAlgorithm()).isEqualTo("ECDSA");
            assertThat(KeyOwnership.belongsTo(readByBc, ec.certificate())).isTrue();
            assertThat(KeyOwnership.belongsTo(readByBc, root(KeyAlgorithm.EC_P256).certificate())).isFalse();
        } finally {
            java.security.Security.removeProvider("BC");
        }
    }
}
