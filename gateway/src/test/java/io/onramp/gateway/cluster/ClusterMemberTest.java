package io.onramp.gateway.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import org.junit.jupiter.api.Test;

class ClusterMemberTest {

    @Test
    void aStandaloneMemberJoinsNobodyAndCollectsNoMetrics() {
        HazelcastInstance member = ClusterMember.startStandalone();
        try {
            assertThat(member.getCluster().getMembers()).hasSize(1);
            assertThat(member.getConfig().getMetricsConfig().isEnabled()).isFalse();
            assertThat(member.getConfig().getNetworkConfig().getJoin().getTcpIpConfig().isEnabled()).isFalse();
        } finally {
            member.shutdown();
        }
    }
}
