package io.onramp.policy.allocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CustomAllocationDefinitionTest {

    @ParameterizedTest
    @ValueSource(strings = {"https://alloc.plant1.example/api/assign?code=abc==", "http://10.0.0.5:7071/api/assign",
        "HTTPS://alloc.plant1.example"})
    void acceptsAbsoluteHttpUrls(String url) {
        assertThat(new CustomAllocationDefinition(url, "2021-10-01").webhookUrl()).isEqualTo(url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/assign", "alloc.plant1.example/api", "ftp://alloc.plant1.example/x", "https://",
        "https://bad host/x", "mailto:ops@plant1.example", "file:///etc/passwd"})
    void refusesAnythingElseWithoutEchoingIt(String url) {
        assertThatThrownBy(() -> new CustomAllocationDefinition(url, "2021-10-01"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("customAllocationDefinition.webhookUrl: must be an absolute http or https URL");
    }

    @Test
    void requiresBothMembers() {
        assertThatThrownBy(() -> new CustomAllocationDefinition(null, "2021-10-01"))
                .hasMessage("customAllocationDefinition.webhookUrl: required");
        assertThatThrownBy(() -> new CustomAllocationDefinition(" ", "2021-10-01"))
                .hasMessage("customAllocationDefinition.webhookUrl: required");
        assertThatThrownBy(() -> new CustomAllocationDefinition("https://alloc.plant1.example", ""))
                .hasMessage("customAllocationDefinition.apiVersion: required");
    }
}
