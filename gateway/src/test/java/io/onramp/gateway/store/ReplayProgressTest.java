package io.onramp.gateway.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplayProgressTest {

    @Test
    void saysHowManyRecordsAreRedoneThenWhichOneItWaitsOn() {
        List<String> reports = new ArrayList<>();
        ReplayProgress progress = ReplayProgress.manual(5_000, reports::add);
        for (long n = 101; n <= 300; n++) {
            progress.redoing(n);
            progress.redone();
        }
        progress.redoing(301); // and it never comes back
        progress.tick();
        progress.tick();
        progress.tick();

        assertThat(reports).containsExactly(
                "store: replaying the journal, 200 of 5000 records redone",
                "store: journal record 301 has been redoing for 10 s with no progress; the start waits for it"
                        + " (H2 may be stuck on a row lock; a thread dump shows where)",
                "store: journal record 301 has been redoing for 20 s with no progress; the start waits for it"
                        + " (H2 may be stuck on a row lock; a thread dump shows where)");
    }

    @Test
    void progressAgainResetsTheWait() {
        List<String> reports = new ArrayList<>();
        ReplayProgress progress = ReplayProgress.manual(10, reports::add);
        progress.redoing(1);
        progress.tick();
        progress.redone();
        progress.redoing(2);
        progress.tick();
        progress.tick();

        assertThat(reports).last().asString().contains("record 2 has been redoing for 10 s");
        assertThat(reports.get(1)).isEqualTo("store: replaying the journal, 1 of 10 records redone");
    }
}
