package io.onramp.gateway.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.onramp.certs.ca.CaMaterial;
import io.onramp.certs.ca.CertificateBuilder;
import io.onramp.certs.pem.PemReader;
import io.onramp.certs.pem.PemWriter;
import io.onramp.certs.x509.ChainValidator;
import io.onramp.certs.x509.ProofOfPossession;
import io.onramp.certs.x509.SubjectNames;
import io.onramp.certs.x509.TrustedCa;
import io.onramp.gateway.app.MainAccess;
import io.onramp.gateway.cli.Console;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code onramp certs ...} as a factory operator would use it: files in, files out, no gateway needed. */
class CertsCommandIT {

    @TempDir
    Path dir;

    record Run(int status, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = MainAccess.run(args, new Console(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    String p(String file) {
        return dir.resolve(file).toString();
    }

    void makeRootAndIntermediate() {
        assertThat(run("certs", "root", "--cn", "Factory Root", "--days", "3650", "--out", dir.toString()).status()).isZero();
        assertThat(run("certs", "intermediate", "--cn", "Line 7", "--issuer-cert", p("factory-root.cert.pem"),
                "--issuer-key", p("factory-root.key.pem"), "--path-length", "0", "--out", dir.toString()).status()).isZero();
    }

    @Test
    void aRootAnIntermediateAndADeviceMakeAChainTheValidatorTrusts() {
        // GIVEN a root and an intermediate made with the CLI
        makeRootAndIntermediate();

        // WHEN a device certificate is issued from the intermediate
        Run device = run("certs", "device", "--cn", "sensor-0042", "--days", "30", "--key", "rsa",
                "--issuer-cert", p("line-7.chain.pem"), "--issuer-key", p("line-7.key.pem"), "--out", dir.toString());

        // THEN the device's chain file validates against the root, with the CN as registration ID
        assertThat(device.status()).as(device.err()).isZero();
        assertThat(device.out()).contains("sensor-0042.cert.pem", "sensor-0042.chain.pem", "sha256 ");
        List<X509Certificate> chain = PemReader.readCertificates(dir.resolve("sensor-0042.chain.pem"));
        X509Certificate root = PemReader.readCertificates(dir.resolve("factory-root.cert.pem")).get(0);
        assertThat(chain).hasSize(2);
        assertThat(ChainValidator.create().validate(chain, List.of(TrustedCa.of(root)), Clock.systemUTC()).isTrusted()).isTrue();
        assertThat(SubjectNames.commonName(chain.get(0))).contains("sensor-0042");
        assertThat(chain.get(0).getPublicKey().getAlgorithm()).isEqualTo("RSA");
        assertThat(PemReader.readPrivateKey(dir.resolve("sensor-0042.key.pem")).getFormat()).isEqualTo("PKCS#8");
        assertThat(chain.get(1).getBasicConstraints()).isZero();
    }

    @Test
    void aDeviceWithoutAnIssuerIsSelfSigned() {
        Run device = run("certs", "device", "--cn", "plc-1", "--name", "plc", "--out", dir.toString());

        assertThat(device.status()).isZero();
        X509Certificate cert = PemReader.readCertificates(dir.resolve("plc.cert.pem")).get(0);
        assertThat(cert.getIssuerX500Principal()).isEqualTo(cert.getSubjectX500Principal());
        assertThat(PemReader.readCertificates(dir.resolve("plc.chain.pem"))).containsExactly(cert);
    }

    @Test
    void signVerificationProducesAProofTheServerAccepts() {
        makeRootAndIntermediate();
        String code = ProofOfPossession.newVerificationCode();

        Run signed = run("certs", "sign-verification", "--ca-cert", p("factory-root.cert.pem"), "--ca-key",
                p("factory-root.key.pem"), "--code", code, "--out", p("verification.pem"));

        assertThat(signed.status()).as(signed.err()).isZero();
        assertThat(signed.out()).contains("CN=" + code);
        X509Certificate ca = PemReader.readCertificates(dir.resolve("factory-root.cert.pem")).get(0);
        X509Certificate proof = PemReader.readCertificates(dir.resolve("verification.pem")).get(0);
        assertThat(ProofOfPossession.verify(ca, proof, code, Clock.systemUTC()).verified()).isTrue();
    }

    @Test
    void signVerificationTakesOnlyACodeOfTheFormTheGatewayIssues() {
        makeRootAndIntermediate();
        String code = ProofOfPossession.newVerificationCode();
        String[] sign = {"certs", "sign-verification", "--ca-cert", p("factory-root.cert.pem"), "--ca-key",
            p("factory-root.key.pem"), "--out", p("proof.pem"), "--code"};

        // The code with the hint line 'certs ca code' used to print after it, quoted and not
        Run withHint = run(concat(sign, code + "\nvalid for 1 hour: sign a certificate"));
        Run unquoted = run(concat(sign, code, "valid", "for", "1", "hour"));
        Run junk = run(concat(sign, "bad code/with,stuff"));

        assertThat(withHint.status()).isEqualTo(2);
        assertThat(withHint.err()).contains("--code must be the code 'onramp certs ca code' printed (32 hexadecimal characters,"
                + " 0-9 and A-F), not '" + code + "\\u000avalid for 1 hour");
        assertThat(unquoted.status()).isEqualTo(2);
        assertThat(unquoted.err()).startsWith("onramp certs: unexpected argument 'valid'");
        assertThat(junk.err()).contains("--code must be", "not 'bad code/with,stuff'");
        assertThat(dir.resolve("proof.pem")).doesNotExist();
        assertThat(run("certs", "show", "--cert", p("line-7.cert.pem"), "extra").err())
                .startsWith("onramp certs: unexpected argument 'extra'");
    }

    @Test
    void aDeviceCnMustBeARegistrationIdAndNamesItsFilesExactly() throws Exception {
        // GIVEN CNs the gateway would refuse as registration IDs
        for (String cn : List.of("Sensor 0042", "sensor,0043", "sensor/0044", "sensor+0045=x", "séñsor-46", "a".repeat(129),
                "evil-01\n06:55:00.000 INFO audit.registration", "ends-with-dot.")) {
            // WHEN a device certificate is asked for
            Run refused = run("certs", "device", "--cn", cn, "--out", dir.toString());

            // THEN it is refused with the rule, and nothing is written
            assertThat(refused.status()).as(cn).isEqualTo(2);
            assertThat(refused.err()).as(cn).contains("cannot be a registration ID",
                    "1 to 128 characters of A-Z a-z 0-9 - . _ :, ending in a letter, digit or '-'");
        }
        assertThat(run("certs", "device", "--cn", "evil-01\nx", "--out", dir.toString()).err()).contains("'evil-01\\u000ax'");
        try (var files = Files.list(dir)) {
            assertThat(files.toList()).isEmpty();
        }

        // AND a valid CN names the files exactly, upper case and all
        Run device = run("certs", "device", "--cn", "Sensor-0042:a_b", "--out", dir.toString());
        assertThat(device.status()).as(device.err()).isZero();
        assertThat(dir.resolve("Sensor-0042:a_b.cert.pem")).exists();
        assertThat(dir.resolve("Sensor-0042:a_b.key.pem")).exists();
    }

    @Test
    void nameCannotLeadOutOfTheOutputDirectory() {
        Path out = dir.resolve("out");
        for (String name : List.of("../escaped", "sub/x", "..")) {
            Run escaped = run("certs", "device", "--cn", "plc-1", "--name", name, "--out", out.toString());

            assertThat(escaped.status()).as(name).isEqualTo(2);
            assertThat(escaped.err()).as(name).contains("--name is the base of the file names, not a path: '" + name + "'");
        }
        assertThat(dir.resolve("escaped.cert.pem")).doesNotExist();
        assertThat(dir.resolve("escaped.key.pem")).doesNotExist();
    }

    @Test
    void daysPastTheIssuersExpiryOrTheLastDateAreRefusedNotCut() {
        makeRootAndIntermediate();

        // WHEN a device is asked for 20000 days under Line 7 (5 years by default), and a root for 3000000 days
        Run tooLong = run("certs", "device", "--cn", "plc-15y", "--days", "20000", "--issuer-cert", p("line-7.chain.pem"),
                "--issuer-key", p("line-7.key.pem"), "--out", dir.toString());
        Run huge = run("certs", "root", "--cn", "Forever", "--days", "3000000", "--out", dir.toString());

        // THEN each is refused with the reason, and the defaults are in the help
        assertThat(tooLong.status()).isOne();
        assertThat(tooLong.err()).contains("--days 20000 would outlive the issuer CN=Line 7, which expires at ",
                "Give --days 182");
        assertThat(dir.resolve("plc-15y.cert.pem")).doesNotExist();
        assertThat(huge.status()).isEqualTo(2);
        assertThat(huge.err()).contains("--days 3000000 would end after 9999-12-31T23:59:59Z").doesNotContain("cannot sign");
        assertThat(run("certs", "--help").out()).contains("root 3650 (10 years), intermediate 1825 (5 years), device 365 (1 year)");
    }

    @Test
    void everyKeyTypeAcceptedIsListedInTheHelp() {
        Run rsa3072 = run("certs", "root", "--cn", "Big Key", "--key", "rsa3072", "--out", dir.toString());

        assertThat(rsa3072.status()).as(rsa3072.err()).isZero();
        assertThat(run("certs", "--help").out()).contains("--key ec|rsa|rsa3072", "rsa3072");
    }

    static String[] concat(String[] first, String... more) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(first), java.util.Arrays.stream(more))
                .toArray(String[]::new);
    }

    @Test
    void showPrintsTheInfoBlock() {
        makeRootAndIntermediate();

        Run show = run("certs", "show", "--cert", p("line-7.chain.pem"));

        assertThat(show.status()).isZero();
        assertThat(show.out()).contains("subjectName       CN=Line 7", "issuerName        CN=Factory Root",
                "sha1Thumbprint", "sha256Thumbprint", "serialNumber", "version           3");
    }

    @Test
    void verifyAndTheDemoCatalogue() {
        Run demo = run("certs", "demo", "--out", p("demo"));
        assertThat(demo.status()).isZero();
        assertThat(demo.out()).contains("TEST MATERIAL ONLY");

        Run good = run("certs", "verify", "--cert", p("demo/leaf.chain.pem"), "--ca", p("demo/root.cert.pem"));
        Run revoked = run("certs", "verify", "--cert", p("demo/revoked.chain.pem"), "--ca", p("demo/intermediate.cert.pem"),
                "--crl", p("demo/intermediate.crl.pem"));
        Run expired = run("certs", "verify", "--cert", p("demo/expired.chain.pem"), "--ca", p("demo/root.cert.pem"));
        Run other = run("certs", "verify", "--cert", p("demo/other-ca-leaf.chain.pem"), "--ca", p("demo/root.cert.pem"));

        assertThat(good.status()).isZero();
        assertThat(good.out()).contains("trusted: 3 certificate(s)", "registration ID catalogue-device-01");
        assertThat(revoked.status()).isOne();
        assertThat(revoked.out()).contains("refused: REVOKED");
        assertThat(expired.out()).contains("refused: EXPIRED");
        assertThat(other.out()).contains("refused: UNTRUSTED_ISSUER");
    }

    @Test
    void existingKeysAndCertificatesAreReplacedOnlyWithForce() throws Exception {
        // GIVEN a root and an intermediate
        makeRootAndIntermediate();
        byte[] rootKey = Files.readAllBytes(dir.resolve("factory-root.key.pem"));
        byte[] lineCert = Files.readAllBytes(dir.resolve("line-7.cert.pem"));

        // WHEN the root is made again, or another CN maps to the intermediate's file name
        Run again = run("certs", "root", "--cn", "Factory Root", "--out", dir.toString());
        Run sameFileName = run("certs", "intermediate", "--cn", "line-7", "--issuer-cert", p("factory-root.cert.pem"),
                "--issuer-key", p("factory-root.key.pem"), "--out", dir.toString());

        // THEN both are refused, naming the files, and the old key and certificate are still there
        assertThat(again.status()).isOne();
        assertThat(again.err()).contains(p("factory-root.cert.pem"), p("factory-root.key.pem"), "already exist", "--force")
                .doesNotContain("usage:");
        assertThat(sameFileName.status()).isOne();
        assertThat(sameFileName.err()).contains(p("line-7.chain.pem"));
        assertThat(Files.readAllBytes(dir.resolve("factory-root.key.pem"))).isEqualTo(rootKey);
        assertThat(Files.readAllBytes(dir.resolve("line-7.cert.pem"))).isEqualTo(lineCert);

        // AND with --force the files are replaced
        Run forced = run("certs", "root", "--cn", "Factory Root", "--out", dir.toString(), "--force");
        assertThat(forced.status()).as(forced.err()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("factory-root.key.pem"))).isNotEqualTo(rootKey);
    }

    @Test
    void theDemoAndAVerificationCertificateDoNotReplaceFilesEither() {
        assertThat(run("certs", "demo", "--out", p("demo")).status()).isZero();
        makeRootAndIntermediate();

        Run demoAgain = run("certs", "demo", "--out", p("demo"));
        Run proofOverCa = run("certs", "sign-verification", "--ca-cert", p("factory-root.cert.pem"), "--ca-key",
                p("factory-root.key.pem"), "--code", "0".repeat(32), "--out", p("line-7.cert.pem"));

        assertThat(demoAgain.status()).isOne();
        assertThat(demoAgain.err()).contains(p("demo/root.cert.pem") + " and 32 other files already exist")
                .doesNotContain("--name");
        assertThat(proofOverCa.status()).isOne();
        assertThat(proofOverCa.err()).contains(p("line-7.cert.pem") + " already exists").doesNotContain("CA key");
        assertThat(run("certs", "demo", "--out", p("demo"), "--force").status()).isZero();
        assertThat(run("certs", "demo", "--out", p("demo"), "--force", "maybe").err()).contains("unexpected argument 'maybe'");
    }

    @Test
    void aCrlAppliesToTheCaInThePathThatIssuedItNotOnlyToTheAnchor() {
        assertThat(run("certs", "demo", "--out", p("demo")).status()).isZero();

        // GIVEN the root as anchor and the intermediate's CRL, which lists the revoked leaf
        Run revoked = run("certs", "verify", "--cert", p("demo/revoked.chain.pem"), "--ca", p("demo/root.cert.pem"),
                "--crl", p("demo/intermediate.crl.pem"));
        Run good = run("certs", "verify", "--cert", p("demo/leaf.chain.pem"), "--ca", p("demo/root.cert.pem"),
                "--crl", p("demo/intermediate.crl.pem"));
        // A CRL of a CA outside the path cannot say anything about it.
        Run unrelated = run("certs", "verify", "--cert", p("demo/other-ca-leaf.chain.pem"), "--ca", p("demo/other-root.cert.pem"),
                "--crl", p("demo/intermediate.crl.pem"));

        assertThat(revoked.status()).isOne();
        assertThat(revoked.out()).contains("refused: REVOKED");
        assertThat(good.status()).isZero();
        assertThat(good.out()).contains("trusted: 3 certificate(s)").doesNotContain("not applied");
        assertThat(unrelated.status()).as(unrelated.out() + unrelated.err()).isZero();
        assertThat(unrelated.out()).contains("trusted:", "CRL not applied: it is from CN=Onramp Test Intermediate");
    }

    @Test
    void nothingIsIssuedBelowACaWhosePathLengthLeavesNoRoom() throws Exception {
        // GIVEN Line 7 with path length 0 under the root
        makeRootAndIntermediate();

        // WHEN an intermediate is asked for below Line 7
        Run intermediate = run("certs", "intermediate", "--cn", "I2", "--out", p("pki2"),
                "--issuer-cert", p("line-7.cert.pem"), "--issuer-key", p("line-7.key.pem"));

        // THEN it is refused, saying why and what to do, and nothing is written
        assertThat(intermediate.status()).isOne();
        assertThat(intermediate.err()).contains("CN=Line 7 has path length 0", "PATH_LENGTH_EXCEEDED", "--path-length")
                .doesNotContain("usage:");
        assertThat(dir.resolve("pki2")).doesNotExist();

        // AND a device below an intermediate that already broke Line 7's limit (made elsewhere) is refused too
        CaMaterial line7 = new CaMaterial(PemReader.readCertificates(dir.resolve("line-7.cert.pem")).get(0),
                PemReader.readPrivateKey(dir.resolve("line-7.key.pem")));
        CaMaterial i2 = CertificateBuilder.intermediateCa("I2", line7).issue();
        PemWriter.write(dir.resolve("i2.chain.pem"), PemWriter.toPem(i2.certificate(), line7.certificate()), false);
        PemWriter.write(dir.resolve("i2.key.pem"), PemWriter.toPem(i2.privateKey()), true);
        Run device = run("certs", "device", "--cn", "d", "--out", p("pki3"),
                "--issuer-cert", p("i2.chain.pem"), "--issuer-key", p("i2.key.pem"));
        assertThat(device.status()).isOne();
        assertThat(device.err()).contains("CN=Line 7 has path length 0");
        // while a device directly below Line 7 is fine
        assertThat(run("certs", "device", "--cn", "d", "--out", p("pki3"),
                "--issuer-cert", p("line-7.chain.pem"), "--issuer-key", p("line-7.key.pem")).status()).isZero();
    }

    @Test
    void problemsWithTheFilesAreErrorsWithoutTheUsageText() {
        makeRootAndIntermediate();
        assertThat(run("certs", "device", "--cn", "sensor-0042", "--issuer-cert", p("line-7.chain.pem"),
                "--issuer-key", p("line-7.key.pem"), "--out", dir.toString()).status()).isZero();

        Run wrongKey = run("certs", "device", "--cn", "d", "--issuer-cert", p("line-7.cert.pem"),
                "--issuer-key", p("factory-root.key.pem"), "--out", p("d"));
        Run notACa = run("certs", "device", "--cn", "d", "--issuer-cert", p("sensor-0042.cert.pem"),
                "--issuer-key", p("sensor-0042.key.pem"), "--out", p("d"));
        Run missing = run("certs", "verify", "--cert", p("nope.pem"), "--ca", p("factory-root.cert.pem"));
        Run usage = run("certs", "root", "--cn", "x", "--days", "many", "--out", p("d"));

        assertThat(List.of(wrongKey, notACa, missing)).allSatisfy(r -> {
            assertThat(r.status()).isOne();
            assertThat(r.err()).startsWith("onramp certs: ").doesNotContain("usage:");
        });
        assertThat(notACa.err()).contains("--issuer-cert CN=sensor-0042 is not a CA");
        assertThat(missing.err()).contains("cannot read " + p("nope.pem") + ": no such file or directory");
        assertThat(usage.status()).isEqualTo(2);
        assertThat(usage.err()).contains("usage:");
    }

    @Test
    void mistakesGetClearErrorsAndWriteNothing() throws Exception {
        makeRootAndIntermediate();
        long before;
        try (var files = Files.list(dir)) {
            before = files.count();
        }

        assertThat(run("certs", "root", "--out", dir.toString()).err()).contains("--cn is required");
        assertThat(run("certs", "root", "--cn", "x", "--days", "0", "--out", dir.toString()).err())
                .contains("--days must be a positive whole number");
        assertThat(run("certs", "root", "--cn", "x", "--key", "dsa", "--out", dir.toString()).err()).contains("unknown key type");
        assertThat(run("certs", "device", "--cn", "d", "--issuer-cert", p("line-7.cert.pem"), "--out", dir.toString()).err())
                .contains("--issuer-cert and --issuer-key go together");
        assertThat(run("certs", "device", "--cn", "d", "--issuer-cert", p("line-7.cert.pem"),
                "--issuer-key", p("factory-root.key.pem"), "--out", dir.toString()).err())
                .contains("private key does not belong to CN=Line 7");
        Run missing = run("certs", "device", "--cn", "d", "--issuer-cert", p("missing.pem"),
                "--issuer-key", p("line-7.key.pem"), "--out", dir.toString());
        assertThat(missing.err()).isEqualToIgnoringNewLines("onramp certs: cannot read " + p("missing.pem") + ": no such file or directory");
        assertThat(run("certs", "device", "--cn", "d", "--issuer-cert", p("line-7.key.pem"),
                "--issuer-key", p("line-7.key.pem"), "--out", dir.toString()).err()).contains("no certificate found");
        assertThat(run("certs", "sign-verification", "--ca-cert", p("factory-root.cert.pem"), "--ca-key",
                p("line-7.key.pem"), "--code", "0".repeat(32), "--out", p("v.pem")).err()).contains("does not belong");
        assertThat(run("certs", "bake").err()).contains("unknown certs command 'bake'");
        assertThat(run("certs", "root", "--colour", "red").status()).isEqualTo(2);
        assertThat(run("certs").err()).contains("usage: onramp certs root");
        try (var files = Files.list(dir)) {
            assertThat(files.count()).isEqualTo(before);
        }
    }
}
