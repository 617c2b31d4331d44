package io.onramp.gateway.hub;

import io.onramp.broker.hub.DeviceMessaging;
import io.onramp.broker.hub.HubException;
import io.onramp.broker.registry.DeviceIdentity;
import io.onramp.broker.registry.DeviceProvisioning;
import io.onramp.broker.registry.DeviceRegistry;
import io.vertx.core.Future;
import java.util.Optional;

/** A hub hosted by this gateway's broker: provisioning writes straight into its registry. */
public final class LocalHubClient implements HubClient {

    private final DeviceRegistry registry;
    private final DeviceMessaging messaging;

    /** @param messaging told of a deleted device, so that its live connections close */
    public LocalHubClient(DeviceRegistry registry, DeviceMessaging messaging) {
        this.registry = registry;
        this.messaging = messaging;
    }

    @Override
    public Future<DeviceIdentity> provision(DeviceProvisioning request) {
        return registry.provision(request);
    }

    /** The registry is the gateway's own store (JdbcDeviceRegistry), where registration records are written too. */
    @Override
    public boolean sharesRegistrationStore() {
        return true;
    }

    @Override
    public Future<Optional<DeviceData>> read(String hubHostName, String deviceId) {
        return registry.find(hubHostName, deviceId).compose(identity -> identity.isEmpty()
                ? Future.succeededFuture(Optional.empty())
                : registry.twin(hubHostName, deviceId).map(twin -> twin.map(
                        t -> new DeviceData(t.tags(), t.desired(), identity.get().iotEdge()))));
    }

    @Override
    public Future<Void> delete(String hubHostName, String deviceId) {
        return registry.delete(hubHostName, deviceId, null)
                .onSuccess(deleted -> messaging.identityChanged(hubHostName, deviceId))
                .<Void>mapEmpty()
                .recover(failure -> failure instanceof HubException e && e.status() == 404
                        ? Future.succeededFuture() : Future.failedFuture(failure));
    }
}
