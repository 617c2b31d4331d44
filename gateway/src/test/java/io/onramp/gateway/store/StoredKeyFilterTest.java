package io.onramp.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StoredKeyFilterTest {

    @Test
    void everyKeyIsAMaybeUntilTheStoredKeysAreInstalled() {
        StoredKeyFilter filter = new StoredKeyFilter();
        assertThat(filter.loaded()).isFalse();
        assertThat(filter.mightContain("never-stored")).isTrue();

        filter.install(StoredKeyFilter.sizedFor(0));

        assertThat(filter.loaded()).isTrue();
        assertThat(filter.mightContain("never-stored")).isFalse();
    }

    @Test
    void keysAddedWhileLoadingAndLoadedOnesAreKnown() {
        StoredKeyFilter filter = new StoredKeyFilter();
        filter.add("saved-during-the-scan");
        StoredKeyFilter.Bits scanned = StoredKeyFilter.sizedFor(1);
        scanned.add("stored-before-start");

        filter.install(scanned);
        filter.add("saved-after");

        assertThat(filter.mightContain("saved-during-the-scan")).isTrue();
        assertThat(filter.mightContain("stored-before-start")).isTrue();
        assertThat(filter.mightContain("saved-after")).isTrue();
    }

    @Test
    void noKeyIsEverMissedAndFewUnknownOnesAreMaybes() {
        int stored = 300_000;
        StoredKeyFilter.Bits bits = StoredKeyFilter.sizedFor(stored);
        for (int i = 0; i < stored; i++) {
            bits.add("sensor-" + i);
        }
        for (int i = 0; i < stored; i++) {
            assertThat(bits.mightContain("sensor-" + i)).as("sensor-%d", i).isTrue();
        }
        int maybes = 0;
        int probes = 200_000;
        for (int i = 0; i < probes; i++) {
            if (bits.mightContain("sensor-" + (stored + i))) {
                maybes++;
            }
        }
        // 16 bits per key at capacity: about 0.24 % false maybes there, far fewer at a third of it.
        assertThat(maybes).isLessThan(probes / 1000);
    }

    @Test
    void sizedForTwiceTheStoredKeysAtLeastAMillionAndAtMost128MiB() {
        assertThat(StoredKeyFilter.sizedFor(0).sizeInBits()).isEqualTo(16L << 20);
        assertThat(StoredKeyFilter.sizedFor(3_000_000).sizeInBits()).isGreaterThanOrEqualTo(96_000_000L);
        assertThat(StoredKeyFilter.sizedFor(1_000_000_000).sizeInBits()).isEqualTo(1L << 30);
    }
}
