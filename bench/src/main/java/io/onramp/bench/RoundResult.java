package io.onramp.bench;

import org.HdrHistogram.Histogram;

/**
 * One measured round against one target. Latency is in microseconds, from the register request
 * (in fixed-rate mode: from the moment it was due, so that queueing is counted) to "assigned";
 * {@code registerMicros} from the same moment to the register request's answer.
 */
record RoundResult(Target target, String label, double offeredRate, long succeeded, long requests, long elapsedNanos,
        Histogram latencyMicros, Histogram registerMicros, ErrorTally errors) {

    double registrationsPerSecond() {
        return succeeded * 1e9 / elapsedNanos;
    }

    double requestsPerSecond() {
        return requests * 1e9 / elapsedNanos;
    }

    double latencyMillis(double percentile) {
        return latencyMicros.getValueAtPercentile(percentile) / 1000.0;
    }

    double registerLatencyMillis(double percentile) {
        return registerMicros.getValueAtPercentile(percentile) / 1000.0;
    }

    double maxLatencyMillis() {
        return latencyMicros.getMaxValue() / 1000.0;
    }
}
