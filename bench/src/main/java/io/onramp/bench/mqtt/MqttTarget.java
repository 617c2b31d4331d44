package io.onramp.bench.mqtt;

import java.io.File;
import java.io.IOException;
import java.util.OptionalLong;

/**
 * A broker the bench drives, running as its own process: where it listens, how devices and the
 * telemetry consumer log in, and what memory it holds.
 */
interface MqttTarget extends AutoCloseable {

    /** Short name used in the report and the JSON: "onramp" or "mosquitto". */
    String name();

    String host();

    /** The plaintext MQTT port, or the MQTT-over-TLS one. */
    int port(boolean tls);

    /** The CA that signed the broker's server certificate. */
    File caFile();

    /** Makes devices 0..count-1 known to the broker (a no-op where any client is let in). */
    void prepareDevices(int count) throws Exception;

    /** How many devices {@link #prepareDevices} made known. */
    int devices();

    String deviceId(int i);

    String deviceUser(int i);

    /** The device's password, or null where none is needed. */
    String devicePassword(int i);

    /** Where the telemetry consumer reads: the broker itself, unless its telemetry is forwarded elsewhere. */
    default String consumerHost() {
        return host();
    }

    /** The plaintext port the consumer reads on. */
    default int consumerPort() {
        return port(false);
    }

    String consumerUser();

    /** The port of its AMQP listener (TLS), where devices send as over MQTT; -1 for a broker that speaks no AMQP. */
    default int amqpPort() {
        return -1;
    }

    String consumerPassword();

    /** The broker's process, for its CPU time and resident memory. */
    long pid();

    /** Heap in use after a full collection; empty for a broker without a managed heap. */
    OptionalLong heapBytes() throws Exception;

    default long rssBytes() throws IOException {
        return Processes.rssBytes(pid());
    }

    /**
     * Prepares a clean memory baseline. A C broker keeps freed memory resident (malloc's arenas),
     * so a second measurement would reuse what the first one left: Mosquitto restarts here.
     */
    void resetMemory() throws Exception;

    @Override
    void close();
}
