package io.onramp.gateway.ops;

import java.util.Map;

/**
 * Prometheus's text exposition format (version 0.0.4), which Prometheus, VictoriaMetrics, Grafana Agent and
 * OpenTelemetry collectors all scrape: each family once with its HELP and TYPE, then its samples.
 */
final class PrometheusText {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder(4096);

    PrometheusText family(String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    PrometheusText sample(String name, long value) {
        return sample(name, Map.of(), value);
    }

    /** {@code labels} in the order given (a LinkedHashMap or Map.of one entry). */
    PrometheusText sample(String name, Map<String, String> labels, long value) {
        out.append(name);
        if (!labels.isEmpty()) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, String> label : labels.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                out.append(label.getKey()).append("=\"");
                escape(label.getValue());
                out.append('"');
            }
            out.append('}');
        }
        out.append(' ').append(value).append('\n');
        return this;
    }

    String text() {
        return out.toString();
    }

    /** A label value may hold anything; the format escapes only these three. */
    private void escape(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }
}
