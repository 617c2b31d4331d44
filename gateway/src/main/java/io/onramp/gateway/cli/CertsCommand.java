package io.onramp.gateway.cli;

import io.onramp.certs.ca.CaMaterial;
import io.onramp.certs.ca.CertificateBuilder;
import io.onramp.certs.ca.KeyAlgorithm;
import io.onramp.certs.ca.PkiCatalogue;
import io.onramp.certs.error.CertsException;
import io.onramp.certs.pem.PemReader;
import io.onramp.certs.pem.PemWriter;
import io.onramp.certs.x509.CertificateInfo;
import io.onramp.certs.x509.ChainValidationResult;
import io.onramp.certs.x509.ChainValidator;
import io.onramp.certs.x509.Crls;
import io.onramp.certs.x509.KeyOwnership;
import io.onramp.certs.x509.ProofOfPossession;
import io.onramp.certs.x509.TrustedCa;
import io.onramp.gateway.config.IoReasons;
import io.onramp.policy.enrollment.RegistrationIds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code onramp certs ...}: X.509 material for a factory that has no other tools, and the offline
 * half of proof of possession. Everything here is local file work; nothing talks to a gateway.
 */
public final class CertsCommand {

    /** The options every {@code certs} subcommand may take. */
    public static final Set<String> FLAGS = Set.of("cn", "days", "out", "name", "key", "issuer-cert", "issuer-key",
            "path-length", "ca-cert", "ca-key", "code", "cert", "ca", "crl", "config", "verified", "force");

    private static final Set<String> VERBS = Set.of("root", "intermediate", "device", "sign-verification", "show", "verify",
            "demo");

    static final String USAGE = """
            usage: onramp certs root --cn NAME [--days N] [--key ec|rsa|rsa3072] [--name BASE] --out DIR [--force]
                   onramp certs intermediate --cn NAME --issuer-cert FILE --issuer-key FILE [--path-length N]
                                             [--days N] [--key ec|rsa|rsa3072] [--name BASE] --out DIR [--force]
                   onramp certs device --cn REGISTRATION_ID [--issuer-cert FILE --issuer-key FILE]
                                       [--days N] [--key ec|rsa|rsa3072] [--name BASE] --out DIR [--force]
                                       (without an issuer: self-signed, for individual enrollments;
                                        the CN is the registration ID: 1-128 of A-Z a-z 0-9 - . _ :,
                                        ending in a letter, digit or '-'; the files are named after it)
                   onramp certs sign-verification --ca-cert FILE --ca-key FILE --code CODE --out FILE [--force]
                   onramp certs show --cert FILE
                   onramp certs verify --cert CHAIN_FILE --ca FILE [--crl FILE]
                   onramp certs demo --out DIR [--force]
                                                      (a test PKI with every bad case; never for production)
                   onramp certs ca list|show|upload|code|verify|prove|delete ...
                                                      (the gateway's CA certificates; onramp certs ca for more)
            Writes BASE.cert.pem, BASE.key.pem (PKCS#8, mode 600) and, for devices and intermediates,
            BASE.chain.pem (the certificate and its issuers, without the root: what a device sends).
            --days: root 3650 (10 years), intermediate 1825 (5 years), device 365 (1 year) by default; a default
            is cut to the issuer's expiry, a --days past it is refused. --key: ec (P-256, the default), rsa (2048 bits) or rsa3072.
            BASE is --name (a file name, not a path), else a device's CN as it is, or a CA's CN in lower case
            with '-' for other characters ("Factory Root" -> factory-root).
            An existing file is never replaced (a CA key replaced is gone, and every certificate it signed
            with it) unless --force is given.""";

    private final Console console;
    private final Clock clock;

    public CertsCommand(Console console) {
        this(console, Clock.systemUTC());
    }

    CertsCommand(Console console, Clock clock) {
        this.console = console;
        this.clock = clock;
    }

    /**
     * The options of a {@code certs} command line. {@code --force} is a switch, while every option
     * {@link Arguments} knows takes a value: a bare {@code --force} is read as {@code --force=true}.
     */
    public static Arguments arguments(String[] args) {
        return new Arguments(Arguments.withSwitch(args, "force"), FLAGS);
    }

    /** Runs the command; a failure of {@code certs ca} other than a usage mistake is thrown for Main to word, as every command's that talks to the gateway. */
    public int run(Arguments args) throws Exception {
        List<String> words = args.words();
        if (words.size() >= 2 && words.get(1).equals("ca")) {
            try {
                return new CaCertificatesCommand(console, clock).run(args);
            } catch (IllegalArgumentException e) {
                console.error("onramp certs ca: " + e.getMessage() + "\n" + CaCertificatesCommand.USAGE);
                return 2;
            } catch (CertsException | UncheckedIOException e) {
                // A file given that is not what it should be (a key for --cert, say): its message, not its class.
                console.error("onramp certs ca: " + describe(e));
                return 1;
            }
        }
        if (args.asksForHelp(1)) {
            console.println(USAGE);
            return 0;
        }
        if (words.size() < 2) {
            console.error(USAGE);
            return 2;
        }
        try {
            if (VERBS.contains(words.get(1))) {
                args.refuseWordsAfter(2);
            }
            return switch (words.get(1)) {
                case "root" -> issueCa(args, null);
                case "intermediate" -> issueCa(args, Issuer.read(args, true));
                case "device" -> issueDevice(args);
                case "sign-verification" -> signVerification(args);
                case "show" -> show(args);
                case "verify" -> verify(args);
                case "demo" -> demo(args);
                default -> {
                    console.error("onramp: unknown certs command '" + words.get(1) + "'\n" + USAGE);
                    yield 2;
                }
            };
        } catch (IllegalArgumentException e) {
            // Only a mistake on the command line gets here; a problem with the files is a CommandException.
            console.error("onramp certs: " + e.getMessage() + "\n" + USAGE);
            return 2;
        } catch (RuntimeException e) {
            console.error("onramp certs: " + describe(e));
            return 1;
        }
    }

    /** The message, and for a file that cannot be read or written, why: "cannot read pki/x.pem: no such file". */
    static String describe(Exception e) {
        if (e instanceof UncheckedIOException io) {
            return io.getMessage() + ": " + IoReasons.of(io.getCause());
        }
        return e.getMessage();
    }

    private int issueCa(Arguments args, Issuer issuer) {
        String cn = required(args, "cn");
        CertificateBuilder builder = issuer == null ? CertificateBuilder.rootCa(cn)
                : CertificateBuilder.intermediateCa(cn, issuer.material());
        if (args.flag("path-length") != null) {
            builder.pathLength(integer(args, "path-length"));
        }
        CaMaterial issued = issue(configure(builder, args, issuer));
        return write(args, cn, fileBase(cn), issued, issuer == null ? null : issuer.chain());
    }

    private int issueDevice(Arguments args) {
        String cn = required(args, "cn");
        // The gateway refuses any other CN at registration: better refused here, before a device is flashed with it.
        if (!RegistrationIds.isValid(cn)) {
            throw new IllegalArgumentException("--cn '" + printable(cn) + "' cannot be a registration ID (a device"
                    + " certificate's CN is its registration ID): " + RegistrationIds.RULE);
        }
        Issuer issuer = Issuer.read(args, false);
        CertificateBuilder builder = issuer == null ? CertificateBuilder.selfSignedDevice(cn)
                : CertificateBuilder.device(cn, issuer.material());
        CaMaterial issued = issue(configure(builder, args, issuer));
        // A registration ID is a safe file name: the files are named after it exactly.
        return write(args, cn, cn, issued, issuer == null ? List.of() : issuer.chain());
    }

    private int signVerification(Arguments args) {
        X509Certificate ca = firstCertificate(Path.of(required(args, "ca-cert")));
        PrivateKey key = PemReader.readPrivateKey(Path.of(required(args, "ca-key")));
        String code = verificationCode(args);
        Path out = Path.of(required(args, "out"));
        X509Certificate proof = signVerification(ca, key, code, clock);
        // A proof file is throw-away: the CA-key warning of the other commands does not apply.
        requireNew(args, List.of(out), "--out", "");
        PemWriter.write(out, PemWriter.toPem(proof), false);
        console.println("wrote " + out + " (CN=" + code + ", signed by " + ca.getSubjectX500Principal()
                + "); upload it to the CA certificate's verify operation");
        return 0;
    }

    /** --code as the gateway issues it: anything else would make a proof the gateway refuses (or a CN of a hint). */
    private static String verificationCode(Arguments args) {
        String code = required(args, "code");
        if (!ProofOfPossession.isVerificationCode(code)) {
            throw new IllegalArgumentException("--code must be the code 'onramp certs ca code' printed ("
                    + ProofOfPossession.CODE_RULE + "), not '" + printable(code) + "'");
        }
        return code;
    }

    /** A certificate with CN = {@code code} signed with the CA's key; refused here if the key is not the CA's. */
    static X509Certificate signVerification(X509Certificate ca, PrivateKey key, String code, Clock clock) {
        // The issuer's key must match the certificate, or the server would refuse the proof anyway.
        requireKeyOf(ca, key);
        return issue(CertificateBuilder.verification(code, new CaMaterial(ca, key)).clock(clock)).certificate();
    }

    private int show(Arguments args) {
        for (X509Certificate cert : PemReader.readCertificates(Path.of(required(args, "cert")))) {
            CertificateInfo info = CertificateInfo.of(cert);
            info.toJsonMap().forEach((field, value) -> console.println(String.format("%-17s %s", field, value)));
            console.println("");
        }
        return 0;
    }

    private int verify(Arguments args) {
        List<X509Certificate> chain = PemReader.readCertificates(Path.of(required(args, "cert")));
        List<TrustedCa> trusted = new ArrayList<>();
        for (X509Certificate ca : PemReader.readCertificates(Path.of(required(args, "ca")))) {
            trusted.add(TrustedCa.of(ca));
        }
        // The CRL applies to whichever CA in the path issued it, the anchor or an intermediate.
        X509CRL crl = args.flag("crl") != null ? Crls.read(Path.of(args.flag("crl"))) : null;
        ChainValidationResult result = ChainValidator.withoutCache().validate(chain, trusted,
                crl == null ? List.of() : List.of(crl), clock);
        if (result instanceof ChainValidationResult.Refused refused) {
            console.println("refused: " + refused.logMessage());
            return 1;
        }
        ChainValidationResult.Trusted ok = (ChainValidationResult.Trusted) result;
        console.println("trusted: " + ok.path().size() + " certificate(s) up to " + ok.anchor().label()
                + "; registration ID " + ok.leafCommonName().orElse("(no single CN)"));
        if (crl != null && ok.path().stream().skip(1).noneMatch(ca -> Crls.isIssuedBy(crl, ca))) {
            // Revocation was not checked: say so rather than let "trusted" stand for it.
            console.println("CRL not applied: it is from " + crl.getIssuerX500Principal()
                    + ", and no CA with that name and key signed a certificate in this path");
        }
        return 0;
    }

    private int demo(Arguments args) {
        Path out = Path.of(required(args, "out"));
        PkiCatalogue catalogue = PkiCatalogue.builder().clock(clock).build();
        requireNew(args, catalogue.files(out), "--out");
        List<Path> files = catalogue.writeTo(out);
        console.println("wrote " + files.size() + " files to " + out + " (device id " + catalogue.deviceId()
                + "): root, intermediate, leaf and the bad cases; TEST MATERIAL ONLY");
        return 0;
    }

    /** Issues; the builder refuses an expired issuer, a problem with the file rather than with the command line. */
    private static CaMaterial issue(CertificateBuilder builder) {
        try {
            return builder.issue();
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage());
        }
    }

    private CertificateBuilder configure(CertificateBuilder builder, Arguments args, Issuer issuer) {
        builder.clock(clock);
        if (args.flag("days") != null) {
            builder.validity(days(args, issuer));
        }
        if (args.flag("key") != null) {
            builder.keyAlgorithm(KeyAlgorithm.parse(args.flag("key")));
        }
        return builder;
    }

    /** @param cnBase the file name base made from the CN, used without --name */
    /**
     * --days, refused rather than cut short when it would outlive the issuer (the builder would end the
     * certificate at the issuer's expiry, silently shortening a device's planned life), or end after
     * the last date a certificate can hold.
     */
    private Duration days(Arguments args, Issuer issuer) {
        int days = integer(args, "days");
        Instant now = clock.instant();
        Instant until = now.plus(Duration.ofDays(days));
        if (until.isAfter(CertificateBuilder.LAST_NOT_AFTER)) {
            throw new IllegalArgumentException("--days " + days + " would end after " + CertificateBuilder.LAST_NOT_AFTER
                    + ", the last date a certificate can hold: give at most "
                    + Duration.between(now, CertificateBuilder.LAST_NOT_AFTER).toDays());
        }
        if (issuer != null) {
            X509Certificate ca = issuer.material().certificate();
            Instant expiry = ca.getNotAfter().toInstant();
            if (until.isAfter(expiry) && expiry.isAfter(now)) {
                throw new CommandException("--days " + days + " would outlive the issuer " + ca.getSubjectX500Principal()
                        + ", which expires at " + expiry + ": a certificate is never valid after its issuer. Give --days "
                        + Duration.between(now, expiry).toDays() + " or fewer, or issue from a CA that lives longer");
            }
        }
        return Duration.ofDays(days);
    }

    private int write(Arguments args, String cn, String cnBase, CaMaterial issued, List<X509Certificate> issuerChain) {
        Path dir = Path.of(required(args, "out"));
        String base = args.flag("name") != null ? fileName(args.flag("name")) : cnBase;
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        Path cert = dir.resolve(base + ".cert.pem");
        Path key = dir.resolve(base + ".key.pem");
        Path chainFile = dir.resolve(base + ".chain.pem");
        requireNew(args, issuerChain == null ? List.of(cert, key) : List.of(cert, key, chainFile), "--out or --name");
        // Key first, like LocalPki: a certificate without its key is the worse half to be left with.
        PemWriter.write(key, PemWriter.toPem(issued.privateKey()), true);
        PemWriter.write(cert, PemWriter.toPem(issued.certificate()), false);
        console.println("wrote " + cert + " and " + key);
        if (issuerChain != null) {
            List<X509Certificate> chain = new ArrayList<>();
            chain.add(issued.certificate());
            chain.addAll(issuerChain);
            PemWriter.write(chainFile, PemWriter.toPem(chain.toArray(X509Certificate[]::new)), false);
            console.println("wrote " + chainFile);
        }
        console.println(CertificateInfo.of(issued.certificate()).subjectName() + "  sha256 "
                + CertificateInfo.of(issued.certificate()).sha256Thumbprint());
        return 0;
    }

    /**
     * Refuses, before anything is written, when one of {@code files} exists and --force is not given:
     * two runs with the same CN, or two CNs with the same file name, would otherwise replace a key.
     */
    private static void requireNew(Arguments args, List<Path> files, String otherNames) {
        requireNew(args, files, otherNames, " (certificates signed with a replaced CA key no longer verify)");
    }

    /** As the certs commands refuse, for another command's output files; {@code why} ends the message. */
    static void requireNew(Arguments args, List<Path> files, String otherNames, String why) {
        if (yesOrNo(args, "force")) {
            return;
        }
        List<Path> existing = files.stream().filter(Files::exists).toList();
        if (!existing.isEmpty()) {
            String names = existing.size() <= 3 ? existing.stream().map(Path::toString).collect(Collectors.joining(", "))
                    : existing.get(0) + " and " + (existing.size() - 1) + " other files";
            throw new CommandException(names + (existing.size() == 1 ? " already exists" : " already exist")
                    + "; nothing was written. Choose another " + otherNames + ", or add --force to replace" + why);
        }
    }

    /** A key that is not the certificate's would sign what nobody can verify: caught before anything is written. */
    static void requireKeyOf(X509Certificate certificate, PrivateKey key) {
        if (!KeyOwnership.belongsTo(key, certificate)) {
            throw new CommandException("the private key does not belong to " + certificate.getSubjectX500Principal()
                    + ": give the key file made with that certificate");
        }
    }

    private static X509Certificate firstCertificate(Path file) {
        return PemReader.readCertificates(file).get(0);
    }

    static String required(Arguments args, String flag) {
        String value = args.flag(flag);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--" + flag + " is required");
        }
        return value;
    }

    /** An optional true/false option; yes and no are accepted too, anything else is refused rather than read as false. */
    static boolean yesOrNo(Arguments args, String flag) {
        String value = args.flag(flag);
        if (value == null) {
            return false;
        }
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes" -> true;
            case "false", "no" -> false;
            default -> throw new IllegalArgumentException("--" + flag + " must be true or false (or yes or no), not '"
                    + value + "'");
        };
    }

    private static int integer(Arguments args, String flag) {
        try {
            int value = Integer.parseInt(args.flag(flag));
            if (value < 0 || (flag.equals("days") && value == 0)) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + flag + " must be a " + (flag.equals("days") ? "positive" : "non-negative")
                    + " whole number, not '" + args.flag(flag) + "'");
        }
    }

    /** --name as given, refused if it would lead out of --out (a path, or "..") rather than quietly changed. */
    private static String fileName(String name) {
        if (name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("--name is the base of the file names, not a path: '" + name
                    + "' holds a path separator or is '.' or '..'; choose the directory with --out");
        }
        return name;
    }

    /** Control characters (a newline, say) shown escaped, so an error message stays one line. */
    static String printable(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> out.append(Character.isISOControl(c) ? String.format("\\u%04x", c)
                : new String(Character.toChars(c))));
        return out.toString();
    }

    /** A CN such as "Factory Root" becomes "factory-root": safe in any file system. */
    static String fileBase(String cn) {
        String base = cn.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^[-.]+|-+$", "");
        return base.isEmpty() ? "certificate" : base;
    }
}
