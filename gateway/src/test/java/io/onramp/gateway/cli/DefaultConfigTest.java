package io.onramp.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without --config: the working directory's conf/onramp.yaml first, the installation's otherwise. */
class DefaultConfigTest {

    @TempDir
    Path workingDir;
    @TempDir
    Path home;

    @Test
    void theWorkingDirectorysConfigComesFirst() throws Exception {
        Files.createDirectories(workingDir.resolve("conf"));
        Files.writeString(workingDir.resolve("conf/onramp.yaml"), "idScope: 0ne1\n");

        assertThat(Arguments.defaultConfig(workingDir, home.toString())).isEqualTo(workingDir.resolve("conf/onramp.yaml"));
    }

    @Test
    void withoutOneTheInstallationsIsRead() {
        assertThat(Arguments.defaultConfig(workingDir, home.toString())).isEqualTo(home.resolve("conf/onramp.yaml"));
    }

    @Test
    void withoutAnInstallationTheWorkingDirectorysIsNamed() {
        assertThat(Arguments.defaultConfig(workingDir, null)).isEqualTo(workingDir.resolve("conf/onramp.yaml"));
    }
}
