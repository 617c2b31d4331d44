package io.onramp.gateway.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.onramp.gateway.config.ConfigLoader;
import io.onramp.gateway.config.GatewayConfig.TlsConfig.Engine;
import io.vertx.core.net.OpenSSLEngineOptions;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerTlsEngineTest {

    static Engine configured(String yaml) {
        return new ConfigLoader(Map.of(), Path.of("")).parse("t", "idScope: 0ne1\n" + yaml).tls().engine();
    }

    @Test
    void tlsEngineIsReadFromTheConfig() {
        assertThat(configured("")).isNull();
        assertThat(configured("tls: { engine: jdk }\n")).isEqualTo(Engine.JDK);
        assertThat(configured("tls: { engine: openssl }\n")).isEqualTo(Engine.OPENSSL);
        assertThatThrownBy(() -> configured("tls: { engine: conscrypt }\n"))
                .hasMessageContaining("unknown TLS engine 'conscrypt'");
    }

    @Test
    void withoutAChoiceBoringSslServesWhereItLoads() {
        // netty-tcnative-boringssl-static (linux-x86_64) is a dependency: it loads on the machines we build on.
        assertThat(OpenSSLEngineOptions.isAvailable()).isTrue();
        assertThat(ServerTls.engine(null)).isEqualTo(Engine.OPENSSL);
        assertThat(ServerTls.engine(Engine.OPENSSL)).isEqualTo(Engine.OPENSSL);
        assertThat(ServerTls.engine(Engine.JDK)).isEqualTo(Engine.JDK);
    }
}
