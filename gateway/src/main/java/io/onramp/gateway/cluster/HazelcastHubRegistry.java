package io.onramp.gateway.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.replicatedmap.ReplicatedMap;
import io.onramp.gateway.provisioning.DefaultProvisioningService.AssignmentListener;
import io.onramp.policy.registry.HubDescriptor;
import io.onramp.policy.registry.HubRegistry;
import java.io.Serializable;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The hub registry in Hazelcast: the linked hubs in a replicated map (every member reads them
 * locally) and their live device counts in a partitioned map updated by entry processors.
 * Allocation reads a snapshot kept current by a listener, so the hot path never calls Hazelcast.
 */
public final class HazelcastHubRegistry implements HubRegistry, AssignmentListener {

    /** A hub as stored in the cluster: plain and serializable. */
    record HubEntry(String name, String hostName, int weight, boolean applyAllocationPolicy, String location)
            implements Serializable {
        HubDescriptor descriptor() {
            return new HubDescriptor(name, hostName, weight, applyAllocationPolicy, location);
        }
    }

    /** Adds to a hub's device count where the count lives. */
    record Increment(long delta) implements EntryProcessor<String, Long, Long>, Serializable {
        @Override
        public Long process(Map.Entry<String, Long> entry) {
            long value = (entry.getValue() == null ? 0 : entry.getValue()) + delta;
            entry.setValue(value);
            return value;
        }
    }

    private final ReplicatedMap<String, HubEntry> hubs;
    private final IMap<String, Long> deviceCounts;
    private final Map<String, LongAdder> pending = new ConcurrentHashMap<>();
    private volatile List<HubDescriptor> snapshot = List.of();

    public HazelcastHubRegistry(HazelcastInstance hazelcast) {
        this.hubs = hazelcast.getReplicatedMap("onramp.hubs");
        this.deviceCounts = hazelcast.getMap("onramp.hub-device-counts");
    }

    /** Publishes the hubs this node hosts and seeds their counts. Blocking: call off the event loop. */
    public void publish(List<HubDescriptor> localHubs, Map<String, Long> storedCounts) {
        for (HubDescriptor hub : localHubs) {
            deviceCounts.set(key(hub.hostName()), storedCounts.getOrDefault(hub.hostName(), 0L));
        }
        hubs.addEntryListener(new SnapshotRefresher<>(this::refresh));
        describe(localHubs);
    }

    /**
     * Publishes what allocation reads of the hubs (weight, applyAllocationPolicy, location): at start, and when the config
     * file changes them. Their device counts stay. Blocking: call off the event loop.
     */
    public void describe(List<HubDescriptor> localHubs) {
        for (HubDescriptor hub : localHubs) {
            hubs.put(key(hub.hostName()), new HubEntry(hub.name(), hub.hostName(), hub.weight(), hub.applyAllocationPolicy(),
                    hub.location()));
        }
        refresh();
    }

    /**
     * Rebuilds the snapshot from the map, on the thread that changed it and on Hazelcast's event threads alike. One at
     * a time: a rebuild that read the map before a change and wrote after the rebuild that followed the change left
     * that hub out for good (a bench run sent all its devices to one of two hubs).
     */
    private synchronized void refresh() {
        snapshot = hubs.values().stream().map(HubEntry::descriptor)
                .sorted(Comparator.comparing(HubDescriptor::hostName)).toList();
    }

    @Override
    public List<HubDescriptor> hubs() {
        return snapshot;
    }

    /**
     * Counted locally and flushed to the cluster once a second: a Hazelcast call per registration
     * costs more than the registration (and its callbacks would need threads of their own).
     */
    @Override
    public void deviceCreated(String hubHostName) {
        pending.computeIfAbsent(key(hubHostName), k -> new LongAdder()).increment();
    }

    /** Adds the locally counted new devices to the cluster's counts. Blocking: call off the event loop. */
    public void flushCounts() {
        for (Map.Entry<String, LongAdder> entry : pending.entrySet()) {
            long delta = entry.getValue().sumThenReset();
            if (delta != 0) {
                deviceCounts.executeOnKey(entry.getKey(), new Increment(delta));
            }
        }
    }

    /** Live device counts by hub host name, including what this node has not flushed yet. Blocking. */
    public Map<String, Long> deviceCounts() {
        flushCounts();
        return new HashMap<>(deviceCounts);
    }

    private static String key(String hostName) {
        return hostName.toLowerCase(java.util.Locale.ROOT);
    }
}
