package io.onramp.gateway.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.gateway.error.ErrorCode;
import io.onramp.gateway.error.ProvisioningException;
import io.onramp.gateway.provisioning.DeviceCredential;
import io.onramp.gateway.provisioning.OperationStatus;
import io.onramp.gateway.provisioning.ProvisioningService;
import io.onramp.gateway.provisioning.RegistrationRecord;
import io.onramp.gateway.provisioning.RegistrationRequest;
import io.onramp.gateway.provisioning.StatusRequest;
import io.vertx.core.Future;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The TPM SASL steps of dps-device-protocol.md 8.4 against a core that answers every TPM device with the same
 * challenge blob (the blob's making is the core's, tested there; here only how it is carried).
 */
class DpsAmqpTpmSaslTest {

    static final byte[] EK = {1, 2, 3, 4};
    static final byte[] SRK = {5, 6, 7};
    static final byte[] BLOB = new byte[787];

    static {
        for (int i = 0; i < BLOB.length; i++) {
            BLOB[i] = (byte) i;
        }
    }

    @Test
    void theBlobGoesOutInTwoPartsThenTheTokenEndsSasl() throws Exception {
        Challenging core = new Challenging();
        DpsAmqpTpmSasl tpm = new DpsAmqpTpmSasl(core, null);

        assertThat(step(tpm, bytes(new byte[] {0}, "0ne0000AB12".getBytes(StandardCharsets.UTF_8), new byte[] {0},
                "tpm-dev".getBytes(StandardCharsets.UTF_8), new byte[] {0}, EK)).challenge()).containsExactly(0);
        byte[] first = step(tpm, bytes(new byte[] {0}, SRK)).challenge();
        byte[] last = step(tpm, new byte[] {0}).challenge();
        DpsAmqpTpmSasl.Step done = step(tpm, bytes(new byte[] {0}, "SharedAccessSignature sr=x".getBytes(StandardCharsets.UTF_8)));

        assertThat(core.asked).isEqualTo(new DeviceCredential.Tpm(b64(EK), b64(SRK), null));
        assertThat(first[0]).isEqualTo((byte) 0x80);
        assertThat(last[0]).isEqualTo((byte) 0xC1);
        assertThat(first.length).isLessThan(450);
        assertThat(last.length).isLessThan(450);
        assertThat(bytes(java.util.Arrays.copyOfRange(first, 1, first.length),
                java.util.Arrays.copyOfRange(last, 1, last.length))).isEqualTo(BLOB);
        assertThat(done.peer()).isEqualTo(new DpsAmqpPeer.Tpm(new DpsLinkAddress("0ne0000AB12", "tpm-dev"), b64(EK),
                b64(SRK), "SharedAccessSignature sr=x"));
    }

    @Test
    void malformedInitsAreRefused() throws Exception {
        for (byte[] init : new byte[][] {
            {0, 'a', 0, 'b', 0}, // no EK
            {0, 0, 'b', 0, 1}, // no scope
            {0, 'a', 0, 0, 1}, // no registration ID
            {(byte) 0x81, 'a', 0, 'b', 0, 1}, // a segmented init (C, beyond RSA-2048 sizes)
            {0, 'a', 'b'}, // no separators
        }) {
            assertThat(step(new DpsAmqpTpmSasl(new Challenging(), null), init).refusal())
                    .as(java.util.Arrays.toString(init)).isNotNull();
        }
    }

    @Test
    void aThrottledAddressEndsSaslAsTemporaryAndARefusedOneNot() throws Exception {
        Challenging throttled = new Challenging(new ProvisioningException(ErrorCode.THROTTLED, "retry later"));
        DpsAmqpTpmSasl.Step refused = untilTheKeys(new DpsAmqpTpmSasl(throttled, "10.0.0.9"));
        assertThat(refused.refusal()).isNotNull();
        assertThat(refused.temporary()).as("sys-temp: the device may come back").isTrue();
        assertThat(throttled.address).isEqualTo("10.0.0.9");

        Challenging unknown = new Challenging(ProvisioningException.unauthorized("no such EK"));
        DpsAmqpTpmSasl.Step auth = untilTheKeys(new DpsAmqpTpmSasl(unknown, "10.0.0.9"));
        assertThat(auth.refusal()).isNotNull();
        assertThat(auth.temporary()).isFalse();
    }

    /** The init and the SRK: the step that asks the core for a challenge. */
    private static DpsAmqpTpmSasl.Step untilTheKeys(DpsAmqpTpmSasl tpm) throws Exception {
        step(tpm, bytes(new byte[] {0}, "0ne0000AB12".getBytes(StandardCharsets.UTF_8), new byte[] {0},
                "tpm-dev".getBytes(StandardCharsets.UTF_8), new byte[] {0}, EK));
        return step(tpm, bytes(new byte[] {0}, SRK));
    }

    private static DpsAmqpTpmSasl.Step step(DpsAmqpTpmSasl tpm, byte[] message) throws Exception {
        return tpm.next(message).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private static byte[] bytes(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    private static String b64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /** Answers authenticate with a TPM challenge, as the core does for a TPM device without a token, or as told. */
    private static final class Challenging implements ProvisioningService {
        final ProvisioningException answer;
        DeviceCredential asked;
        String address;

        Challenging() {
            this(ProvisioningException.tpmChallenge(b64(BLOB), "challenge"));
        }

        Challenging(ProvisioningException answer) {
            this.answer = answer;
        }

        @Override
        public Future<Void> authenticate(String clientAddress, String idScope, String registrationId,
                DeviceCredential credential) {
            asked = credential;
            address = clientAddress;
            return Future.failedFuture(answer);
        }

        @Override
        public Future<OperationStatus> register(RegistrationRequest request) {
            return Future.failedFuture("not in SASL");
        }

        @Override
        public Future<OperationStatus> operationStatus(StatusRequest request) {
            return Future.failedFuture("not in SASL");
        }

        @Override
        public Future<RegistrationRecord> registrationState(StatusRequest request) {
            return Future.failedFuture("not in SASL");
        }
    }
}
