package io.onramp.bench.mqtt;

import java.util.Map;

/**
 * One figure of one target: {@code value} in {@code unit}, with what explains it ({@code details},
 * e.g. messages offered, loss, the cores the client and the broker used).
 *
 * @param round the round it belongs to, 0 for warm-up and for the once-only memory figures
 */
record Measurement(int round, String target, Metric metric, double value, Map<String, Double> details) {

    Measurement {
        details = Map.copyOf(details);
    }

    /** What is measured, how it is labelled and which way is better. */
    enum Metric {
        QOS0("qos0", "telemetry QoS 0", "msg/s"),
        QOS0_PACED("qos0Paced", "QoS 0 paced", "msg/s"),
        QOS1("qos1", "telemetry QoS 1", "msg/s"),
        QOS1_PACED("qos1Paced", "QoS 1 paced", "msg/s"),
        AMQP("amqp", "telemetry AMQP (TLS)", "msg/s"),
        CONNECT("connect", "CONNECT/CONNACK", "conn/s"),
        CONNECT_TLS("connectTls", "CONNECT/CONNACK TLS", "conn/s"),
        IDLE_PLAIN("idlePlain", "idle connection", "B/conn"),
        IDLE_TLS("idleTls", "idle TLS connection", "B/conn");

        private final String key;
        private final String label;
        private final String unit;

        Metric(String key, String label, String unit) {
            this.key = key;
            this.label = label;
            this.unit = unit;
        }

        String key() {
            return key;
        }

        String label() {
            return label;
        }

        String unit() {
            return unit;
        }
    }
}
