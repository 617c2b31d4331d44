package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.gateway.it.CertsCommandIT.Run;
import io.onramp.gateway.support.AdminApi;
import io.onramp.gateway.support.TestGateway;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code onramp certs ca ...} where a slip would cost a production line: a typo in upload's NAME
 * must not replace a verified CA in use, and the output must be usable from a script.
 */
class CaCertificatesCommandGuardsIT {

    static final String ADDRESS = "127.0.0.225";
    static final String OWNER_KEY = "Q2FHdWFyZHNPd25lcktleUZvclRlc3RzT25seTAwMDA=";

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

    static String p(String file) {
        return dir.resolve(file).toString();
    }

    @Test
    void uploadRefusesToReplaceAVerifiedCaInUseUnlessForced() throws Exception {
        // GIVEN line-7, verified and named by a group, and the certificate of line 8 beside it
        assertThat(run("certs", "root", "--cn", "Line 7", "--out", dir.toString()).status()).isZero();
        assertThat(run("certs", "root", "--cn", "Line 8", "--out", dir.toString()).status()).isZero();
        assertThat(run("certs", "ca", "upload", "line-7", "--cert", p("line-7.cert.pem"), "--config", config).status()).isZero();
        assertThat(run("certs", "ca", "prove", "line-7", "--ca-key", p("line-7.key.pem"), "--config", config).status()).isZero();
        Files.writeString(dir.resolve("group.jsonl"), """
                {"enrollmentGroupId":"line-7-devices","attestation":{"type":"x509","x509":{"caReferences":{"primary":"line-7"}}}}
                """);
        Run imported = run("enrollments", "import", p("group.jsonl"), "--config", config);
        assertThat(imported.status()).as(imported.err()).isZero();

        // WHEN line 8's certificate is uploaded as line-7 (a typo)
        Run typo = run("certs", "ca", "upload", "line-7", "--cert", p("line-8.cert.pem"), "--config", config);

        // THEN it is refused, saying what exists and what --force would do, and line-7 is untouched
        assertThat(typo.status()).isOne();
        assertThat(typo.err()).contains("CA certificate line-7 already exists (verified, CN=Line 7;"
                + " named by enrollment group(s) line-7-devices); nothing was uploaded", "--force", "clears its verification");
        assertThat(AdminApi.properties(admin.get("line-7")).getBoolean("isVerified")).isTrue();
        assertThat(AdminApi.properties(admin.get("line-7")).getString("subject")).isEqualTo("CN=Line 7");

        // AND with --force it is replaced, unverified
        Run forced = run("certs", "ca", "upload", "line-7", "--cert", p("line-8.cert.pem"), "--force", "--config", config);
        assertThat(forced.status()).as(forced.err()).isZero();
        assertThat(forced.out()).contains("uploaded line-7 (CN=Line 8), not verified");
        assertThat(AdminApi.properties(admin.get("line-7")).getBoolean("isVerified")).isFalse();
    }

    @Test
    void codePrintsOnlyTheCodeOnStdoutSoAScriptCanTakeIt() throws Exception {
        assertThat(run("certs", "root", "--cn", "Script Root", "--out", dir.toString()).status()).isZero();
        assertThat(run("certs", "ca", "upload", "script-root", "--cert", p("script-root.cert.pem"), "--config", config)
                .status()).isZero();

        // WHEN a script takes the code as CODE=$(onramp certs ca code NAME) would, and signs with it
        Run code = run("certs", "ca", "code", "script-root", "--config", config);
        String captured = code.out().strip();
        Run signed = run("certs", "sign-verification", "--ca-cert", p("script-root.cert.pem"), "--ca-key",
                p("script-root.key.pem"), "--code", captured, "--out", p("script-proof.pem"));
        Run verified = run("certs", "ca", "verify", "script-root", "--cert", p("script-proof.pem"), "--config", config);

        // THEN stdout was the code alone, the hint went to stderr, and the proof is accepted
        assertThat(code.status()).as(code.err()).isZero();
        assertThat(captured).matches("[0-9A-F]{32}");
        assertThat(code.err()).contains("valid for 1 hour");
        assertThat(signed.status()).as(signed.err()).isZero();
        assertThat(verified.status()).as(verified.err()).isZero();
        assertThat(AdminApi.properties(admin.get("script-root")).getBoolean("isVerified")).isTrue();
        assertThat(run("certs", "ca", "show", "script-root", "stray", "--config", config).err())
                .startsWith("onramp certs ca: unexpected argument 'stray'");
    }

    @Test
    void aFileWithoutACertificateIsNamedWithoutAnExceptionClass() {
        assertThat(run("certs", "root", "--cn", "Key Only", "--out", dir.toString()).status()).isZero();

        Run upload = run("certs", "ca", "upload", "key-only", "--cert", p("key-only.key.pem"), "--config", config);

        assertThat(upload.status()).isOne();
        assertThat(upload.err().strip()).isEqualTo("onramp certs ca: no certificate found in " + p("key-only.key.pem"));
    }

    @Test
    void listAgainstAGatewayThatIsDownPrintsTheErrorAlone() throws Exception {
        // The same gateway's config with an address nothing listens on (127.0.0.226)
        Path down = Files.writeString(dir.resolve("down.yaml"), Files.readString(Path.of(config)).replace(ADDRESS, "127.0.0.226"));

        Run list = run("certs", "ca", "list", "--config", down.toString());

        assertThat(list.status()).isOne();
        assertThat(list.err()).contains("is the gateway running?");
        assertThat(list.out()).doesNotContain("NAME").isEmpty();
    }

    @Test
    void proveChecksTheKeyBeforeAskingTheGatewayForACode() throws Exception {
        assertThat(run("certs", "root", "--cn", "Proven Later", "--out", dir.toString()).status()).isZero();
        assertThat(run("certs", "root", "--cn", "Other Key", "--out", dir.toString()).status()).isZero();
        assertThat(run("certs", "ca", "upload", "proven-later", "--cert", p("proven-later.cert.pem"), "--config", config)
                .status()).isZero();
        String etag = new io.vertx.core.json.JsonObject(admin.get("proven-later").body()).getString("etag");

        Run wrongKey = run("certs", "ca", "prove", "proven-later", "--ca-key", p("other-key.key.pem"), "--config", config);

        // No code was issued (issuing one changes the etag, and makes an outstanding code stop working)
        assertThat(wrongKey.status()).isOne();
        assertThat(wrongKey.err()).contains("private key does not belong to CN=Proven Later");
        assertThat(new io.vertx.core.json.JsonObject(admin.get("proven-later").body()).getString("etag")).isEqualTo(etag);
    }

    @Test
    void anImportWithNoFailuresLeavesNoFailedFile() throws Exception {
        Path rows = Files.writeString(dir.resolve("fine.jsonl"), """
                {"registrationId":"import-ok-1","attestation":{"type":"symmetricKey"}}
                """);

        Run imported = run("enrollments", "import", rows.toString(), "--config", config);

        assertThat(imported.status()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("imported 1, failed 0", "no failures");
        assertThat(dir.resolve("fine.jsonl.failed")).doesNotExist();
    }
}
