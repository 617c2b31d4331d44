package io.onramp.gateway.amqp;

import io.onramp.gateway.error.HttpErrors;
import io.onramp.gateway.error.ProvisioningException;
import io.onramp.gateway.provisioning.DeviceCredential;
import io.onramp.gateway.provisioning.ProvisioningService;
import io.vertx.core.Future;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * The SASL mechanism {@code TPM} (dps-device-protocol.md 8.4), one step per client message: the init names the
 * registration and carries the EK; the server answers {@code 0x00}; the client sends its SRK; the core makes the
 * challenge blob for that EK and SRK (the same as the HTTPS 401 of 6.5), which goes out in exactly two parts,
 * {@code 0x80} then {@code 0xC1} (Java accepts nothing else); the client then sends the SAS token it signed in its
 * TPM.
 *
 * <p>The token is not verified here but with the register request that follows on the connection: the core checks
 * a TPM token once, using up its challenge (as the HTTPS head's second PUT does), and a check here would leave that
 * register nothing to match. A bad token is therefore rejected with 401002 at the register, not with SASL outcome
 * {@code auth}; nothing is provisioned without it.
 */
final class DpsAmqpTpmSasl {

    static final String MECHANISM = "TPM";
    private static final byte NUL = 0x00;
    private static final byte FIRST_PART = (byte) 0x80;
    private static final byte LAST_PART = (byte) 0xC1;

    /**
     * What to do after a client message: send a challenge, or end SASL with ok (peer), or with auth (refusal) or
     * sys-temp (a refusal that is {@link #temporary}: a 429001, the client may come back); {@code cause} is the core's
     * refusal, if it refused.
     */
    record Step(byte[] challenge, DpsAmqpPeer peer, String refusal, Throwable cause) {
        static Step challenge(byte[] bytes) {
            return new Step(bytes, null, null, null);
        }

        static Step refused(String why) {
            return new Step(null, null, why, null);
        }

        boolean temporary() {
            return ProvisioningException.throttled(cause);
        }
    }

    private enum Expecting { INIT, STORAGE_ROOT_KEY, FIRST_PART_READ, TOKEN }

    private final ProvisioningService provisioning;
    private final String clientAddress;
    private Expecting expecting = Expecting.INIT;
    private DpsLinkAddress registration;
    private String endorsementKey;
    private String storageRootKey;
    private byte[] lastPart;

    DpsAmqpTpmSasl(ProvisioningService provisioning, String clientAddress) {
        this.provisioning = provisioning;
        this.clientAddress = clientAddress;
    }

    Future<Step> next(byte[] message) {
        if (message.length == 0 || message[0] != NUL) {
            return Future.succeededFuture(Step.refused("TPM SASL message without its 0x00 control byte"));
        }
        return switch (expecting) {
            case INIT -> Future.succeededFuture(init(message));
            case STORAGE_ROOT_KEY -> challenge(message);
            case FIRST_PART_READ -> {
                expecting = Expecting.TOKEN;
                yield Future.succeededFuture(Step.challenge(lastPart));
            }
            case TOKEN -> Future.succeededFuture(new Step(null, new DpsAmqpPeer.Tpm(registration, endorsementKey,
                    storageRootKey, new String(message, 1, message.length - 1, StandardCharsets.UTF_8)), null, null));
        };
    }

    /** 0x00 idScope 0x00 registrationId 0x00 EK: split on the first two NULs after the control byte. */
    private Step init(byte[] message) {
        int scopeEnd = indexOf(message, 1);
        int idEnd = scopeEnd < 0 ? -1 : indexOf(message, scopeEnd + 1);
        if (idEnd < 0 || scopeEnd == 1 || idEnd == scopeEnd + 1 || idEnd == message.length - 1) {
            return Step.refused("TPM SASL init is not 0x00 idScope 0x00 registrationId 0x00 endorsementKey");
        }
        registration = new DpsLinkAddress(new String(message, 1, scopeEnd - 1, StandardCharsets.UTF_8),
                new String(message, scopeEnd + 1, idEnd - scopeEnd - 1, StandardCharsets.UTF_8));
        endorsementKey = base64(message, idEnd + 1);
        expecting = Expecting.STORAGE_ROOT_KEY;
        return Step.challenge(new byte[] {NUL});
    }

    /** The core's TPM challenge for the EK and SRK: its blob, in two parts of at most ~400 bytes each. */
    private Future<Step> challenge(byte[] message) {
        storageRootKey = base64(message, 1);
        return provisioning.authenticate(clientAddress, registration.idScope(), registration.registrationId(),
                        new DeviceCredential.Tpm(endorsementKey, storageRootKey, null))
                .transform(outcome -> {
                    ProvisioningException error = outcome.failed() ? HttpErrors.classify(outcome.cause()) : null;
                    if (error == null || error.tpmAuthenticationKey() == null) {
                        String why = "TPM SASL for " + registration + ": "
                                + (error == null ? "no challenge" : error.getMessage());
                        return Future.succeededFuture(new Step(null, null, why, error));
                    }
                    byte[] blob = Base64.getDecoder().decode(error.tpmAuthenticationKey());
                    int half = blob.length / 2;
                    lastPart = withControl(LAST_PART, Arrays.copyOfRange(blob, half, blob.length));
                    expecting = Expecting.FIRST_PART_READ;
                    return Future.succeededFuture(Step.challenge(withControl(FIRST_PART, Arrays.copyOfRange(blob, 0, half))));
                });
    }

    private static byte[] withControl(byte control, byte[] part) {
        byte[] challenge = new byte[part.length + 1];
        challenge[0] = control;
        System.arraycopy(part, 0, challenge, 1, part.length);
        return challenge;
    }

    private static String base64(byte[] message, int from) {
        return Base64.getEncoder().encodeToString(Arrays.copyOfRange(message, from, message.length));
    }

    private static int indexOf(byte[] message, int from) {
        for (int i = from; i < message.length; i++) {
            if (message[i] == NUL) {
                return i;
            }
        }
        return -1;
    }
}
