package io.onramp.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CollectorActivityTest {

    @Test
    void namesTheCollectionsSinceItsStartAndOnlyThose() {
        System.gc();
        CollectorActivity activity = CollectorActivity.start();
        assertThat(activity.sinceStart()).startsWith("no collection; JIT ");

        System.gc();

        assertThat(activity.sinceStart()).matches(".* [1-9]\\d* in [\\d,]+ ms.*; JIT [\\d,]+ ms");
    }
}
