package io.onramp.gateway.cluster;

import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.EntryListener;
import com.hazelcast.map.MapEvent;

/** Calls back on any change of a replicated map, so a local snapshot can be rebuilt. */
final class SnapshotRefresher<K, V> implements EntryListener<K, V> {

    private final Runnable refresh;

    SnapshotRefresher(Runnable refresh) {
        this.refresh = refresh;
    }

    @Override
    public void entryAdded(EntryEvent<K, V> event) {
        refresh.run();
    }

    @Override
    public void entryUpdated(EntryEvent<K, V> event) {
        refresh.run();
    }

    @Override
    public void entryRemoved(EntryEvent<K, V> event) {
        refresh.run();
    }

    @Override
    public void entryEvicted(EntryEvent<K, V> event) {
        refresh.run();
    }

    @Override
    public void entryExpired(EntryEvent<K, V> event) {
        refresh.run();
    }

    @Override
    public void mapCleared(MapEvent event) {
        refresh.run();
    }

    @Override
    public void mapEvicted(MapEvent event) {
        refresh.run();
    }
}
