package io.onramp.bench.mqtt;

import java.io.File;

/** A broker the bench drives: where it listens, how devices and the consumer log in, what memory it holds. */
interface BrokerUnderTest extends AutoCloseable {

    String name();

    String host();

    int plainPort();

    int tlsPort();

    File caFile();

    /** Makes devices 0..count-1 known to the broker (a no-op where any client is let in). */
    void prepareDevices(int count) throws Exception;

    String deviceId(int i);

    String deviceUser(int i);

    String devicePassword(int i);

    String consumerUser();

    String consumerPassword();

    /** Memory the broker holds now, after a collection where that means something. */
    long memoryBytes() throws Exception;

    /** What {@link #memoryBytes()} measures: "heap" or "RSS". */
    String memoryKind();

    @Override
    void close();
}
