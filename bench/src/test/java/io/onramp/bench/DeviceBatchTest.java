package io.onramp.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.certs.sas.SasToken;
import io.onramp.certs.sas.SasTokenVerifier;
import io.onramp.certs.sas.SymmetricKeys;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceBatchTest {

    @Test
    void eachDeviceHasItsOwnIdAndATokenSignedWithItsDerivedKey() {
        DeviceBatch batch = DeviceBatch.create("dev-", 3, "0ne00000001", BenchGateway.GROUP_PRIMARY_KEY);
        SasTokenVerifier verifier = new SasTokenVerifier(Clock.systemUTC(), Duration.ZERO);
        for (int i = 0; i < batch.size(); i++) {
            SasToken token = SasToken.parse(batch.token(i));
            byte[] deviceKey =
                    SymmetricKeys.decode(SymmetricKeys.deriveDeviceKey(BenchGateway.GROUP_PRIMARY_KEY, "dev-" + i));
            assertThat(batch.id(i)).isEqualTo("dev-" + i);
            assertThat(token.decodedResource()).isEqualTo("0ne00000001/registrations/dev-" + i);
            assertThat(verifier.verify(token, List.of(deviceKey))).isEqualTo(SasTokenVerifier.Verdict.VALID);
            String path = "/0ne00000001/registrations/dev-" + i;
            assertThat(batch.registerUri(i)).isEqualTo(path + "/register?api-version=2019-03-31");
            assertThat(batch.pollUri(i, "op")).isEqualTo(path + "/operations/op?api-version=2019-03-31");
        }
    }
}
