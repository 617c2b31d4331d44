package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.gateway.it.CertsCommandIT.Run;
import io.onramp.gateway.support.AdminApi;
import io.onramp.gateway.support.TestGateway;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code onramp certs ca ...} against a running gateway, as an operator with the CA's key would use
 * it: make a root, upload it, prove possession in one step or by hand (code, sign, verify), list.
 */
class CaCertificatesCommandIT {

    static final String ADDRESS = "127.0.0.83";
    static final String OWNER_KEY = "Q2FDbGlPd25lcktleUZvclRlc3RzT25seTAwMDAwMDA=";

    @TempDir
    static Path dir;
    static TestGateway gateway;
    static String config;
    static AdminApi admin;

    @BeforeAll
    static void start() throws Exception {
        gateway = TestGateway.start(ADDRESS, dir.resolve("data"), AdminApi.ownerPolicy(OWNER_KEY));
        config = gateway.writeConfigFile().toString();
        admin = AdminApi.asOwner(gateway, OWNER_KEY);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    static Run run(String... args) {
        return CertsCommandIT.run(args);
    }

    String p(String file) {
        return dir.resolve(file).toString();
    }

    @Test
    void aRootIsUploadedProvenInOneStepAndListedAsVerified() {
        // GIVEN a root made with the CLI and uploaded
        assertThat(run("certs", "root", "--cn", "Plant Root", "--out", dir.toString()).status()).isZero();
        Run upload = run("certs", "ca", "upload", "plant-root", "--cert", p("plant-root.cert.pem"), "--config", config);
        assertThat(upload.status()).as(upload.err()).isZero();
        assertThat(upload.out()).contains("not verified");
        assertThat(run("certs", "ca", "list", "--config", config).out()).containsPattern("plant-root\\s+no\\s+CN=Plant Root");

        // WHEN the operator proves possession with the root's key
        Run prove = run("certs", "ca", "prove", "plant-root", "--ca-key", p("plant-root.key.pem"), "--config", config);

        // THEN it is verified
        assertThat(prove.status()).as(prove.err()).isZero();
        assertThat(prove.out()).contains("verified plant-root");
        Run list = run("certs", "ca", "list", "--config", config);
        assertThat(list.out()).containsPattern("plant-root\\s+yes\\s+CN=Plant Root").containsPattern("\\d+ CA certificate\\(s\\)");
        assertThat(run("certs", "ca", "show", "plant-root", "--config", config).out()).contains("\"isVerified\" : true");
    }

    @Test
    void theFlowByHandCodeSignVerify() throws Exception {
        assertThat(run("certs", "root", "--cn", "Hand Root", "--out", dir.toString()).status()).isZero();
        assertThat(run("certs", "ca", "upload", "hand-root", "--cert", p("hand-root.cert.pem"), "--config", config).status())
                .isZero();

        Run code = run("certs", "ca", "code", "hand-root", "--config", config);
        assertThat(code.status()).as(code.err()).isZero();
        String verificationCode = code.out().lines().findFirst().orElseThrow();
        assertThat(verificationCode).matches("[0-9A-F]{32}");
        assertThat(run("certs", "sign-verification", "--ca-cert", p("hand-root.cert.pem"), "--ca-key", p("hand-root.key.pem"),
                "--code", verificationCode, "--out", p("hand-proof.pem")).status()).isZero();
        Run verify = run("certs", "ca", "verify", "hand-root", "--cert", p("hand-proof.pem"), "--config", config);

        assertThat(verify.status()).as(verify.err()).isZero();
        assertThat(AdminApi.properties(admin.get("hand-root")).getBoolean("isVerified")).isTrue();
        assertThat(run("certs", "ca", "delete", "hand-root", "--config", config).status()).isZero();
        assertThat(admin.get("hand-root").statusCode()).isEqualTo(404);
    }

    @Test
    void aProofWithTheWrongKeyOrAStaleCodeIsRefusedAndTheCaStaysUnverified() {
        assertThat(run("certs", "root", "--cn", "Wrong Key Root", "--out", dir.toString()).status()).isZero();
        assertThat(run("certs", "root", "--cn", "Someone Else", "--out", dir.toString()).status()).isZero();
        assertThat(run("certs", "ca", "upload", "wrong-key", "--cert", p("wrong-key-root.cert.pem"), "--config", config)
                .status()).isZero();

        // The key is checked against the certificate before anything is sent.
        Run wrongKey = run("certs", "ca", "prove", "wrong-key", "--ca-key", p("someone-else.key.pem"), "--config", config);
        assertThat(wrongKey.status()).isOne();
        assertThat(wrongKey.err()).contains("private key does not belong").doesNotContain("usage:");
        // A proof signed for another code (made by hand with the right key) is refused by the gateway.
        run("certs", "ca", "code", "wrong-key", "--config", config);
        run("certs", "sign-verification", "--ca-cert", p("wrong-key-root.cert.pem"), "--ca-key", p("wrong-key-root.key.pem"),
                "--code", "0".repeat(32), "--out", p("stale-proof.pem"));
        Run stale = run("certs", "ca", "verify", "wrong-key", "--cert", p("stale-proof.pem"), "--config", config);
        assertThat(stale.status()).isEqualTo(1);
        assertThat(stale.err()).contains("not the verification code");

        assertThat(run("certs", "ca", "list", "--config", config).out()).containsPattern("wrong-key\\s+no");
        assertThat(run("certs", "ca", "show", "nobody", "--config", config).err()).contains("nobody was not found");
    }

    @Test
    void verifiedOnUploadTakesYesOrTrueAndRefusesAnythingElse() throws Exception {
        assertThat(run("certs", "root", "--cn", "Vouched Root", "--out", dir.toString()).status()).isZero();

        Run maybe = run("certs", "ca", "upload", "vouched", "--cert", p("vouched-root.cert.pem"), "--verified", "maybe",
                "--config", config);
        Run yes = run("certs", "ca", "upload", "vouched", "--cert", p("vouched-root.cert.pem"), "--verified", "yes",
                "--config", config);

        assertThat(maybe.status()).isEqualTo(2);
        assertThat(maybe.err()).contains("--verified must be true or false (or yes or no), not 'maybe'");
        assertThat(yes.status()).as(yes.err()).isZero();
        assertThat(yes.out()).contains("uploaded vouched", "verified").doesNotContain("not verified");
        assertThat(AdminApi.properties(admin.get("vouched")).getBoolean("isVerified")).isTrue();
    }
}
