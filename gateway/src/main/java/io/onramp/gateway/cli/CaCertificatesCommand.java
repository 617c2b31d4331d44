package io.onramp.gateway.cli;

import io.onramp.certs.pem.PemReader;
import io.onramp.certs.pem.PemWriter;
import io.onramp.gateway.cli.ServiceApiClient.Response;
import io.onramp.gateway.config.ConfigLoader;
import io.onramp.gateway.config.GatewayConfig;
import io.onramp.gateway.config.GatewayConfig.Right;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;

/**
 * {@code onramp certs ca ...}: the gateway's CA certificates and their proof of possession, over
 * the admin API (dps-service-api §11) with an access policy of the config file that holds the
 * ServiceConfig right. {@code prove} is the whole flow in one step for an operator who holds the
 * CA's key: code, verification certificate signed with the key, verify.
 */
final class CaCertificatesCommand {

    static final String USAGE = """
            usage: onramp certs ca list
                   onramp certs ca show NAME
                   onramp certs ca upload NAME --cert FILE [--verified true|false] [--force]
                                                     (--force: replace an existing NAME, clearing its verification)
                   onramp certs ca code NAME           (prints only a verification code, valid 1 h; the hint goes to stderr)
                   onramp certs ca verify NAME --cert VERIFICATION_CERT_FILE
                   onramp certs ca prove NAME --ca-key FILE [--ca-cert FILE]
                                                     (code, sign a certificate with CN=code, verify: all in one)
                   onramp certs ca delete NAME
            every form takes --config FILE: the config of the gateway to talk to (default conf/onramp.yaml)""";
    private static final String BASE = "/admin/certificates";
    private static final String FORMAT = "%-28s %-9s %-44s %s";

    private final Console console;
    private final Clock clock;

    CaCertificatesCommand(Console console, Clock clock) {
        this.console = console;
        this.clock = clock;
    }

    int run(Arguments args) throws Exception {
        if (args.asksForHelp(2)) {
            console.println(USAGE);
            return 0;
        }
        List<String> words = args.words();
        String verb = words.size() >= 3 ? words.get(2) : "";
        boolean named = words.size() >= 4 && List.of("show", "upload", "code", "verify", "prove", "delete").contains(verb);
        if (!verb.equals("list") && !named) {
            console.error(USAGE);
            return 2;
        }
        // Named, not a bare usage: an unquoted $(certs ca code) or a forgotten option leaves a word behind.
        args.refuseWordsAfter(named ? 4 : 3);
        GatewayConfig config = ConfigLoader.forThisProcess().load(args.config());
        Vertx vertx = Vertx.vertx();
        try (ServiceApiClient api = ServiceApiClient.open(vertx, config, List.of(Right.ServiceConfig))) {
            String name = named ? words.get(3) : null;
            return switch (verb) {
                case "list" -> list(api);
                case "show" -> show(api, name);
                case "upload" -> upload(api, name, args);
                case "code" -> code(api, name);
                case "verify" -> verify(api, name, PemReader.readCertificates(Path.of(CertsCommand.required(args, "cert"))).get(0));
                case "prove" -> prove(api, name, args);
                default -> delete(api, name);
            };
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ServiceApiClient.ServiceApiException failure) {
                console.error("onramp: " + failure.getMessage());
                return 1;
            }
            throw e;
        } finally {
            vertx.close();
        }
    }

    private int list(ServiceApiClient api) throws Exception {
        // Asked first: a gateway that is down gets its error alone, not under a table header.
        JsonArray all = call(api, HttpMethod.GET, BASE, null, null).json().getJsonArray("value");
        console.println(String.format(FORMAT, "NAME", "VERIFIED", "SUBJECT", "EXPIRY"));
        int count = 0;
        for (Object item : all) {
            JsonObject ca = (JsonObject) item;
            JsonObject p = ca.getJsonObject("properties");
            console.println(String.format(FORMAT, ca.getString("name"), p.getBoolean("isVerified") ? "yes" : "no",
                    p.getString("subject"), p.getString("expiry")));
            count++;
        }
        console.println(count + " CA certificate(s)");
        return 0;
    }

    private int show(ServiceApiClient api, String name) throws Exception {
        JsonObject ca = call(api, HttpMethod.GET, path(name), null, null).json();
        ca.getJsonObject("properties").remove("certificate");
        console.println(ca.encodePrettily());
        return 0;
    }

    private int upload(ServiceApiClient api, String name, Arguments args) throws Exception {
        Path file = Path.of(CertsCommand.required(args, "cert"));
        List<X509Certificate> certificates = PemReader.readCertificates(file);
        if (certificates.size() != 1) {
            throw new CommandException(file + " must hold exactly one certificate (the CA's), not " + certificates.size());
        }
        boolean verified = CertsCommand.yesOrNo(args, "verified");
        boolean force = CertsCommand.yesOrNo(args, "force");
        JsonObject body = new JsonObject().put("certificate", PemWriter.toPem(certificates.get(0))).put("isVerified", verified);
        JsonObject ca;
        try {
            // Create only, decided by the gateway (If-None-Match: *): replacing a CA clears its verification, and the
            // devices of the groups naming it are then refused at provisioning and at the hub.
            ca = EnrollmentsCommand.await(api.send(HttpMethod.PUT, path(name), body,
                    force ? Map.of() : Map.of("If-None-Match", "*"))).json();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ServiceApiClient.ServiceApiException refused && refused.status == 412) {
                throw new CommandException(refused.getMessage().replaceFirst("\\.$", "") + "; nothing was uploaded."
                        + " Choose another NAME, or add --force to replace it: replacing clears its verification"
                        + " (unless --verified true), and until it is proven again the devices of the groups naming it"
                        + " are refused at provisioning and at the hub");
            }
            throw e;
        }
        console.println("uploaded " + name + " (" + ca.getJsonObject("properties").getString("subject") + "), "
                + (ca.getJsonObject("properties").getBoolean("isVerified") ? "verified"
                        : "not verified: prove possession of its key with 'onramp certs ca prove " + name + " --ca-key FILE'"));
        return 0;
    }

    private int code(ServiceApiClient api, String name) throws Exception {
        String code = generateCode(api, name);
        // Only the code on stdout, so CODE=$(onramp certs ca code NAME) works; the hint is for the person.
        console.println(code);
        console.error("valid for 1 hour: sign a certificate with CN=" + code + " with the CA's key"
                + " (onramp certs sign-verification), then run 'onramp certs ca verify " + name + " --cert FILE'");
        return 0;
    }

    private int prove(ServiceApiClient api, String name, Arguments args) throws Exception {
        PrivateKey key = PemReader.readPrivateKey(Path.of(CertsCommand.required(args, "ca-key")));
        X509Certificate ca = args.flag("ca-cert") != null
                ? PemReader.readCertificates(Path.of(args.flag("ca-cert"))).get(0)
                : PemReader.parseCertificates(call(api, HttpMethod.GET, path(name), null, null).json()
                        .getJsonObject("properties").getString("certificate")).get(0);
        // The key is checked before a code is asked for: asking issues a new code, and the outstanding one stops working.
        CertsCommand.requireKeyOf(ca, key);
        X509Certificate proof = CertsCommand.signVerification(ca, key, generateCode(api, name), clock);
        return verify(api, name, proof);
    }

    private int verify(ServiceApiClient api, String name, X509Certificate proof) throws Exception {
        String etag = call(api, HttpMethod.GET, path(name), null, null).json().getString("etag");
        call(api, HttpMethod.POST, path(name) + "/verify", new JsonObject().put("certificate", PemWriter.toPem(proof)), etag);
        console.println("verified " + name + ": enrollment groups may name it in caReferences");
        return 0;
    }

    private int delete(ServiceApiClient api, String name) throws Exception {
        call(api, HttpMethod.DELETE, path(name), null, null);
        console.println("deleted " + name);
        return 0;
    }

    private static String generateCode(ServiceApiClient api, String name) throws Exception {
        String etag = call(api, HttpMethod.GET, path(name), null, null).json().getString("etag");
        return call(api, HttpMethod.POST, path(name) + "/generateVerificationCode", null, etag).json()
                .getJsonObject("properties").getString("verificationCode");
    }

    private static Response call(ServiceApiClient api, HttpMethod method, String path, JsonObject body, String ifMatch)
            throws Exception {
        return EnrollmentsCommand.await(api.send(method, path, body, ifMatch == null ? Map.of() : Map.of("If-Match", ifMatch)));
    }

    private static String path(String name) {
        return BASE + ServiceApiClient.path(name);
    }
}
