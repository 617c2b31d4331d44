package io.onramp.broker.topic;

import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A read-only, insertion-ordered map that nobody else can change. {@link MessageProperties} copies any
 * other map it is given but takes one of these as is, which spares the telemetry path a second copy.
 */
final class FrozenMap extends AbstractMap<String, String> {

    static final FrozenMap EMPTY = new FrozenMap(new LinkedHashMap<>());

    private final Map<String, String> view;

    /** Takes ownership: the caller must drop its reference to {@code owned}. */
    private FrozenMap(LinkedHashMap<String, String> owned) {
        this.view = Collections.unmodifiableMap(owned);
    }

    static FrozenMap own(LinkedHashMap<String, String> owned) {
        return owned.isEmpty() ? EMPTY : new FrozenMap(owned);
    }

    /** @throws NullPointerException on a null key; null values are kept */
    static FrozenMap copyOf(Map<String, String> map) {
        if (map == null || map.isEmpty()) {
            return EMPTY;
        }
        if (map instanceof FrozenMap frozen) {
            return frozen;
        }
        LinkedHashMap<String, String> copy = new LinkedHashMap<>(map);
        if (copy.containsKey(null)) {
            throw new NullPointerException("null property name");
        }
        return new FrozenMap(copy);
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        return view.entrySet();
    }

    @Override
    public String get(Object key) {
        return view.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return view.containsKey(key);
    }

    @Override
    public int size() {
        return view.size();
    }
}
