package io.onramp.gateway.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.gateway.error.ProvisioningException;
import org.junit.jupiter.api.Test;

class QueryPagingTest {

    @Test
    void pageSizeDefaultsAndIsClamped() {
        assertThat(QueryPaging.parse(null, null)).isEqualTo(new QueryPaging(100, null));
        assertThat(QueryPaging.parse("0", null).pageSize()).isEqualTo(100);
        assertThat(QueryPaging.parse("5000", null).pageSize()).isEqualTo(1000);
        assertThatThrownBy(() -> QueryPaging.parse("-1", null)).isInstanceOf(ProvisioningException.class);
        assertThatThrownBy(() -> QueryPaging.parse("many", null)).isInstanceOf(ProvisioningException.class);
    }

    @Test
    void continuationTokensRoundTripAndForeignOnesAreRefused() {
        assertThat(QueryPaging.parse("2", QueryPaging.token("line7:plc-0042")).afterKey()).isEqualTo("line7:plc-0042");
        assertThatThrownBy(() -> QueryPaging.parse("2", "bm90LW91cnM")).isInstanceOf(ProvisioningException.class);
        assertThatThrownBy(() -> QueryPaging.parse("2", "%%%")).isInstanceOf(ProvisioningException.class);
    }

    @Test
    void everySelectAllSpellingOfTheSdksIsServedAndFiltersAreRefused() {
        for (String query : new String[] {"*", "SELECT *", "select * from enrollments", "SELECT * FROM enrollmentGroups",
            "select * from deviceRegistrations"}) {
            QueryPaging.requireSelectAll(query);
        }
        assertThatThrownBy(() -> QueryPaging.requireSelectAll("SELECT * FROM enrollments WHERE a = 1"))
                .isInstanceOf(ProvisioningException.class);
        assertThatThrownBy(() -> QueryPaging.requireSelectAll(null)).isInstanceOf(ProvisioningException.class);
    }
}
