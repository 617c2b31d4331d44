package io.onramp.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import io.onramp.policy.registry.HubDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HazelcastHubRegistryTest {

    private HazelcastInstance hazelcast;

    @BeforeEach
    void start() {
        hazelcast = ClusterMember.startStandalone();
    }

    @AfterEach
    void stop() {
        hazelcast.shutdown();
    }

    private static List<HubDescriptor> hubs(String prefix, int count) {
        List<HubDescriptor> hubs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            hubs.add(new HubDescriptor("hub-" + i, prefix + i, 1, true));
        }
        return hubs;
    }

    @Test
    void everyPublishedHubIsInTheSnapshotOnceTheListenersAreDone() throws Exception {
        // Each put wakes a listener on one of Hazelcast's event threads, which rebuilds the snapshot from the map.
        // A rebuild that read the map before the last put but wrote after the last rebuild left a hub out for
        // good: a bench run sent all 740,000 devices to one of its two hubs.
        HazelcastHubRegistry registry = new HazelcastHubRegistry(hazelcast);
        List<HubDescriptor> published = hubs("127.0.7.", 200);
        registry.publish(published, Map.of());
        long until = System.nanoTime() + 2_000_000_000L;
        while (registry.hubs().size() != published.size() && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        Thread.sleep(200); // let late listeners finish: none may take a hub out again
        assertThat(registry.hubs()).hasSize(published.size());
    }

    @Test
    void concurrentChangesLeaveTheSnapshotAsTheMapIs() throws Exception {
        // Config reloads (describe) on several threads while Hazelcast's event threads rebuild the snapshot too:
        // whichever rebuild comes last must have read the map after every change before it. Without that, 4 runs of
        // this test in 10 left a hub out; none in 10 with it.
        HazelcastHubRegistry registry = new HazelcastHubRegistry(hazelcast);
        registry.publish(List.of(), Map.of());
        int threads = 8;
        int perThread = 20;
        for (int round = 0; round < 10; round++) {
            List<Thread> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                List<HubDescriptor> mine = hubs("127." + round + "." + t + ".", perThread);
                Thread writer = new Thread(() -> mine.forEach(hub -> registry.describe(List.of(hub))));
                writers.add(writer);
                writer.start();
            }
            for (Thread writer : writers) {
                writer.join();
            }
            Thread.sleep(200); // the listeners' last rebuilds
            assertThat(registry.hubs()).as("round %d", round).hasSize((round + 1) * threads * perThread);
        }
    }
}
