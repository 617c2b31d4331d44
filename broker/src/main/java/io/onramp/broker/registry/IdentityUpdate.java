package io.onramp.broker.registry;

/** An identity before and after an update. */
public record IdentityUpdate(DeviceIdentity before, DeviceIdentity after) {

    /** Live connections must close when the device was disabled or now authenticates differently. */
    public boolean connectionsMustClose() {
        return after.status() == DeviceStatus.DISABLED || after.credentialsDifferFrom(before);
    }
}
