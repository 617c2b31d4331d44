package io.onramp.gateway.service;

import io.onramp.gateway.cacert.CaCertificate;
import io.onramp.gateway.cacert.CaCertificateJson;
import io.onramp.gateway.cacert.CaCertificateNames;
import io.onramp.gateway.config.ConfigNode;
import io.onramp.gateway.config.GatewayConfig.Right;
import io.onramp.gateway.enrollment.EnrollmentCertificates;
import io.onramp.gateway.error.ErrorCode;
import io.onramp.gateway.error.ProvisioningException;
import io.onramp.gateway.provisioning.EnrollmentStore;
import io.onramp.gateway.store.JdbcCaCertificateStore;
import io.onramp.policy.enrollment.EnrollmentGroup;
import io.onramp.policy.enrollment.X509Attestation;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The admin API for CA certificates and their proof of possession (dps-service-api §11.2), on the
 * HTTPS listener beside the service API, signed the same way and needing the ServiceConfig right.
 * Parses and delegates: the rules (etags, config ownership, the limit, the code) live in
 * {@link JdbcCaCertificateStore}.
 */
public final class CaCertificateEndpoint {

    /** Matched case-insensitively, like the service API's paths (spec 1.3). */
    public static final String PATHS = "(?i)^/admin/certificates(/.*)?$";

    private enum Action { LIST, PUT, GET, DELETE, GENERATE_CODE, VERIFY }

    private record Call(Action action, String name) {}

    private final ServiceAuthenticator authenticator;
    private final JdbcCaCertificateStore certificates;
    private final EnrollmentStore enrollments;

    public CaCertificateEndpoint(ServiceAuthenticator authenticator, JdbcCaCertificateStore certificates,
            EnrollmentStore enrollments) {
        this.authenticator = authenticator;
        this.certificates = certificates;
        this.enrollments = enrollments;
    }

    public void mount(Router router) {
        router.routeWithRegex(PATHS).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        Future.<Call>future(p -> p.complete(authorize(ctx)))
                .compose(call -> dispatch(ctx, call))
                .onFailure(ctx::fail);
    }

    private Call authorize(RoutingContext ctx) {
        Call call = parse(ctx.request().method().name(), ctx.request().path());
        ServiceApiEndpoint.authenticate(ctx, authenticator, Right.ServiceConfig);
        return call;
    }

    private Future<Void> dispatch(RoutingContext ctx, Call call) {
        String ifMatch = ctx.request().getHeader(HttpHeaders.IF_MATCH);
        return switch (call.action()) {
            case LIST -> certificates.list().map(all -> ServiceApiEndpoint.send(ctx, CaCertificateJson.list(all)));
            case GET -> certificates.find(call.name()).map(ca -> answer(ctx, ca, false));
            case PUT -> Future.<Upload>future(p -> p.complete(upload(ctx)))
                    .compose(up -> certificates.put(call.name(), up.certificate(), up.verified(), ifMatch,
                            createOnly(ctx) ? () -> referencing(call.name()) : null))
                    .map(ca -> answer(ctx, ca, false));
            case DELETE -> certificates.delete(call.name(), ifMatch, () -> referencing(call.name()))
                    .map(ca -> ServiceApiEndpoint.noContent(ctx));
            case GENERATE_CODE -> certificates.generateVerificationCode(call.name(), ifMatch)
                    .map(ca -> answer(ctx, ca, true));
            case VERIFY -> Future.<X509Certificate>future(p -> p.complete(verificationCertificate(ctx)))
                    .compose(cert -> certificates.verify(call.name(), ifMatch, cert))
                    .map(ca -> answer(ctx, ca, false));
        };
    }

    private static Void answer(RoutingContext ctx, CaCertificate ca, boolean withCode) {
        ctx.response().putHeader(HttpHeaders.ETAG, ca.etag());
        return ServiceApiEndpoint.send(ctx, CaCertificateJson.write(ca, withCode));
    }

    /** {@code If-None-Match: *} makes a PUT create-only (RFC 9110 13.1.2): 412 if the certificate exists. */
    private static boolean createOnly(RoutingContext ctx) {
        String ifNoneMatch = ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH);
        if (ifNoneMatch != null && !ifNoneMatch.strip().equals("*")) {
            throw ProvisioningException.badRequest("If-None-Match on a PUT must be * (create only, never replace).");
        }
        return ifNoneMatch != null;
    }

    /** The groups whose caReferences name this certificate: it may not be deleted under them. */
    private List<String> referencing(String name) {
        return enrollments.groups().stream()
                .filter(g -> g.attestation() instanceof X509Attestation x509
                        && x509.kind() == X509Attestation.Kind.CA_REFERENCES
                        && (name.equalsIgnoreCase(x509.primary()) || name.equalsIgnoreCase(x509.secondary())))
                .map(EnrollmentGroup::enrollmentGroupId)
                .toList();
    }

    private record Upload(X509Certificate certificate, boolean verified) {}

    /** ARM's CertificateBodyDescription: {@code certificate} (PEM or Base64 DER) and {@code isVerified}. */
    private static Upload upload(RoutingContext ctx) {
        ConfigNode body = body(ctx, Set.of("certificate", "isVerified"));
        boolean verified = body.bool("isVerified", false);
        X509Certificate certificate = certificate(body);
        if (certificate.getBasicConstraints() < 0) {
            throw ProvisioningException.badRequest("certificate: is not a CA certificate (basicConstraints);"
                    + " only a root or intermediate can sign devices.");
        }
        return new Upload(certificate, verified);
    }

    private static X509Certificate verificationCertificate(RoutingContext ctx) {
        return certificate(body(ctx, Set.of("certificate")));
    }

    private static ConfigNode body(RoutingContext ctx, Set<String> members) {
        return ConfigNode.root(ServiceApiEndpoint.jsonObject(ctx)).allowOnly(members);
    }

    /** The body's certificate; also reports any problem found in the body so far. */
    private static X509Certificate certificate(ConfigNode body) {
        String text = body.text("certificate");
        if (!body.problems().isEmpty()) {
            throw ProvisioningException.badRequest("Invalid body: " + String.join("; ", body.problems()) + ".");
        }
        try {
            return EnrollmentCertificates.parse(text);
        } catch (IllegalArgumentException e) {
            throw ProvisioningException.badRequest("certificate: " + e.getMessage() + ".");
        }
    }

    /**
     * Reads the call from its method and path.
     *
     * @throws ProvisioningException 404 for an unknown path, 405 for another method, 400 for a bad name
     */
    private static Call parse(String method, String path) {
        String[] segments = path.substring(1).split("/", -1);
        String m = method.toUpperCase(Locale.ROOT);
        if (segments.length == 2 || (segments.length == 3 && segments[2].isEmpty())) {
            return m.equals("GET") ? new Call(Action.LIST, null) : notAllowed();
        }
        String name = name(segments[2]);
        if (segments.length == 3) {
            return switch (m) {
                case "PUT" -> new Call(Action.PUT, name);
                case "GET" -> new Call(Action.GET, name);
                case "DELETE" -> new Call(Action.DELETE, name);
                default -> notAllowed();
            };
        }
        if (segments.length == 4) {
            Action action = segments[3].equalsIgnoreCase("generateVerificationCode") ? Action.GENERATE_CODE
                    : segments[3].equalsIgnoreCase("verify") ? Action.VERIFY : null;
            if (action == null) {
                throw new ProvisioningException(ErrorCode.NOT_FOUND, "Not found.");
            }
            return m.equals("POST") ? new Call(action, name) : notAllowed();
        }
        throw new ProvisioningException(ErrorCode.NOT_FOUND, "Not found.");
    }

    private static String name(String segment) {
        String name;
        try {
            name = URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw ProvisioningException.badRequest("The name in the path is not validly percent-encoded.");
        }
        if (!CaCertificateNames.valid(name)) {
            throw ProvisioningException.badRequest("The CA certificate name " + CaCertificateNames.RULE + ".");
        }
        return name;
    }

    private static Call notAllowed() {
        throw new ProvisioningException(ErrorCode.METHOD_NOT_ALLOWED, "Method not allowed.");
    }
}
