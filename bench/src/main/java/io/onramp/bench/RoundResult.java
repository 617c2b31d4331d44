package io.onramp.bench;

import org.HdrHistogram.Histogram;

/**
 * One measured round against one target. Latency is in microseconds, from the register request
 * (in fixed-rate mode: from the moment it was due, so that queueing is counted) to "assigned".
 */
record RoundResult(Target target, String label, double offeredRate, long succeeded, long requests, long elapsedNanos,
        Histogram latencyMicros, ErrorTally errors) {

    double registrationsPerSecond() {
        return succeeded * 1e9 / elapsedNanos;
    }

    double requestsPerSecond() {
        return requests * 1e9 / elapsedNanos;
    }

    double latencyMillis(double percentile) {
        return latencyMicros.getValueAtPercentile(percentile) / 1000.0;
    }

    double maxLatencyMillis() {
        return latencyMicros.getMaxValue() / 1000.0;
    }
}
