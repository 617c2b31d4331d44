package io.onramp.broker.hub;

import io.onramp.broker.mqtt.ConnectRefusedException;
import io.onramp.broker.registry.AuthType;
import io.onramp.broker.registry.DeviceIdentity;
import io.onramp.certs.x509.ChainValidationResult;
import io.onramp.certs.x509.ChainValidator;
import io.onramp.certs.x509.SubjectNames;
import io.onramp.certs.x509.Thumbprints;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.List;

/**
 * X.509 devices at the hub (hub spec 2.3): {@code selfSigned} matches the leaf's thumbprint and
 * validity; {@code certificateAuthority} builds the chain to a CA the hub trusts and requires
 * subject CN == deviceId. The device ID comes from the CONNECT, never from the certificate.
 */
public final class CertificateAuthenticator {

    private final Vertx vertx;
    private final Clock clock;
    private final ChainValidator validator;
    private final DeviceCertificateAuthorities authorities;

    public CertificateAuthenticator(Vertx vertx, Clock clock, ChainValidator validator, DeviceCertificateAuthorities authorities) {
        this.vertx = vertx;
        this.clock = clock;
        this.validator = validator;
        this.authorities = authorities;
    }

    Future<Void> check(String hubHostName, DeviceIdentity identity, List<X509Certificate> chain) {
        String deviceId = identity.deviceId();
        if (chain == null || chain.isEmpty()) {
            return Future.failedFuture(refused("no client certificate from X.509 device " + deviceId));
        }
        X509Certificate leaf = chain.get(0);
        if (identity.authType() == AuthType.SELF_SIGNED) {
            try {
                leaf.checkValidity(Date.from(clock.instant()));
            } catch (CertificateException e) {
                return Future.failedFuture(refused("certificate of " + deviceId + " is out of its validity"));
            }
            if (!Thumbprints.matches(leaf, identity.primaryThumbprint())
                    && !Thumbprints.matches(leaf, identity.secondaryThumbprint())) {
                return Future.failedFuture(refused("certificate of " + deviceId + " matches neither thumbprint"));
            }
            return Future.succeededFuture();
        }
        if (!SubjectNames.commonNameEquals(leaf, deviceId)) {
            return Future.failedFuture(refused("certificate CN " + SubjectNames.commonName(leaf).orElse("(none)")
                    + " is not device " + deviceId));
        }
        // Signature checks are CPU work: off the event loop.
        return authorities.trusted(hubHostName, deviceId).compose(trusted -> vertx.executeBlocking(() -> {
            ChainValidationResult result = validator.validate(chain, trusted, clock);
            if (result instanceof ChainValidationResult.Refused refusal) {
                throw refused("certificate chain of " + deviceId + " refused: " + refusal.logMessage());
            }
            return null;
        }, false));
    }

    private static ConnectRefusedException refused(String reason) {
        return ConnectRefusedException.notAuthorized(reason);
    }
}
