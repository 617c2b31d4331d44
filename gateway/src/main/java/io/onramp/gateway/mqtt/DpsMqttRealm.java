package io.onramp.gateway.mqtt;

import io.onramp.broker.mqtt.ConnectRefusedException;
import io.onramp.broker.mqtt.MqttChannel;
import io.onramp.broker.mqtt.MqttConnect;
import io.onramp.broker.mqtt.MqttConnectHandler;
import io.onramp.broker.mqtt.MqttSession;
import io.onramp.gateway.error.ProvisioningException;
import io.onramp.gateway.provisioning.DeviceCredential;
import io.onramp.gateway.provisioning.ProvisioningService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Optional;

/**
 * CONNECTs of provisioning clients: the registration ID in the user name must be the client id,
 * and the SAS token or the TLS client certificate must prove it (CONNACK 0x05 otherwise; 0x04
 * without any credential).
 */
final class DpsMqttRealm implements MqttConnectHandler {

    private final Vertx vertx;
    private final ProvisioningService provisioning;

    DpsMqttRealm(Vertx vertx, ProvisioningService provisioning) {
        this.vertx = vertx;
        this.provisioning = provisioning;
    }

    @Override
    public Future<MqttSession> connect(MqttConnect connect, MqttChannel channel) {
        Optional<DpsUserName> parsed = DpsUserName.parse(connect.userName());
        if (parsed.isEmpty()) {
            return Future.failedFuture(ConnectRefusedException.notAuthorized("malformed DPS user name " + connect.userName()));
        }
        DpsUserName user = parsed.get();
        if (connect.will() != null) {
            // Provisioning has nothing a will could go to; a client asking for one would silently lose it.
            return Future.failedFuture(ConnectRefusedException.notAuthorized("registration " + user.registrationId()
                    + " asked for a will"));
        }
        if (!user.registrationId().equals(connect.clientId())) {
            return Future.failedFuture(ConnectRefusedException.notAuthorized(
                    "client id " + connect.clientId() + " is not registration " + user.registrationId()));
        }
        DeviceCredential credential;
        if (connect.password() != null && !connect.password().isEmpty()) {
            credential = new DeviceCredential.Sas(connect.password());
        } else if (!connect.peerCertificates().isEmpty()) {
            // X.509 devices send no password (spec 7.1): the TLS client certificate is the credential.
            credential = new DeviceCredential.X509(connect.peerCertificates());
        } else {
            return Future.failedFuture(ConnectRefusedException.badUserNameOrPassword(
                    "registration " + user.registrationId() + " sent no credential"));
        }
        return provisioning.authenticate(channel.clientAddress(), user.idScope(), user.registrationId(), credential)
                .<MqttSession>map(v -> new DpsMqttSession(vertx, provisioning, user, credential, channel))
                .recover(failure -> Future.failedFuture(refusal(user, failure)));
    }

    /**
     * 0x03 when the address is throttled (it may come back), 0x05 for a credential that does not prove the ID; logged
     * as quietly as the core's refusal asks.
     */
    private static ConnectRefusedException refusal(DpsUserName user, Throwable failure) {
        String reason = "registration " + user.registrationId() + ": " + failure.getMessage();
        ConnectRefusedException refused = ProvisioningException.throttled(failure)
                ? ConnectRefusedException.serverUnavailable(reason) : ConnectRefusedException.notAuthorized(reason);
        return ProvisioningException.routine(failure) ? refused.asRoutine() : refused;
    }
}
