package io.onramp.broker.twin;

/** The documented IoT Hub twin limits (hub-device-protocol.md 3.6 and 6.2). Sizes are UTF-8 bytes. */
public final class TwinLimits {

    public static final int MAX_KEY_BYTES = 1024;
    public static final int MAX_STRING_BYTES = 4096;
    /** Objects (and arrays) may nest this deep below a section's root. */
    public static final int MAX_DEPTH = 10;
    /** Integers must stay within ±2^52, so that every JSON reader holds them exactly as a double. */
    public static final long MAX_INTEGER = 4503599627370496L;
    public static final int MAX_TAGS_BYTES = 8 * 1024;
    public static final int MAX_DESIRED_BYTES = 32 * 1024;
    public static final int MAX_REPORTED_BYTES = 32 * 1024;

    private TwinLimits() {}
}
