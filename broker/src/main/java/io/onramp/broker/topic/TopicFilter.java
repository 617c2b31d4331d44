package io.onramp.broker.topic;

/**
 * A subscription filter checked once, when it is subscribed, so that matching each message costs
 * only the level walk. Topics given to {@link #matches} must be valid topic names (the broker
 * checks every PUBLISH topic on arrival).
 */
public final class TopicFilter {

    private final String filter;

    private TopicFilter(String filter) {
        this.filter = filter;
    }

    /** Throws IllegalArgumentException for a filter MQTT 3.1.1 does not allow. */
    public static TopicFilter compile(String filter) {
        if (!ConsumerFilters.isValidFilter(filter)) {
            throw new IllegalArgumentException("not a valid MQTT topic filter: " + filter);
        }
        return new TopicFilter(filter);
    }

    public boolean matches(String topicName) {
        return !topicName.isEmpty() && ConsumerFilters.matchesValid(filter, topicName);
    }

    public String filter() {
        return filter;
    }

    @Override
    public String toString() {
        return filter;
    }
}
