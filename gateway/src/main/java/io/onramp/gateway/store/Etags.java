package io.onramp.gateway.store;

import java.util.concurrent.ThreadLocalRandom;

/** Opaque etags: quoted, as Azure returns them (dps-device-protocol.md 2.3). */
public final class Etags {
    private Etags() {}

    public static String next() {
        return "\"" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1) + "\"";
    }
}
