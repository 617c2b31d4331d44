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
}
