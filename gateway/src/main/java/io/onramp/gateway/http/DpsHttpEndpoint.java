package io.onramp.gateway.http;

import io.onramp.certs.x509.PeerCertificates;
import io.onramp.gateway.error.HttpErrors;
import io.onramp.gateway.error.ProvisioningException;
import io.onramp.gateway.provisioning.DeviceCredential;
import io.onramp.gateway.provisioning.DeviceRequestJson;
import io.onramp.gateway.provisioning.OperationStatus;
import io.onramp.gateway.provisioning.ProvisioningService;
import io.onramp.gateway.provisioning.RegistrationJson;
import io.onramp.gateway.provisioning.RegistrationRequest;
import io.onramp.gateway.provisioning.StatusRequest;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The DPS device API over HTTPS (spec section 6): parses, delegates to the provisioning core and
 * writes the answer. No provisioning logic lives here.
 */
public final class DpsHttpEndpoint {

    static final String RETRY_AFTER = Integer.toString(OperationStatus.RETRY_AFTER_SECONDS);
    private static final String JSON = "application/json; charset=utf-8";

    private final ProvisioningService provisioning;

    public DpsHttpEndpoint(ProvisioningService provisioning) {
        this.provisioning = provisioning;
    }

    /**
     * The two requests every device sends, mounted ahead of the other APIs' routes so that they are
     * matched without trying those first: no other API has a PUT of four path segments ending in
     * {@code register} or a GET of five with {@code operations} fourth. Their plain paths are told apart
     * without a route template ({@link DeviceRequestPath}); the templates take the other spellings.
     */
    public void mountDeviceRequests(Router router) {
        router.route().handler(this::plainDeviceRequest);
        router.put("/:idScope/registrations/:registrationId/register").handler(ctx -> register(ctx, templated(ctx)));
        router.get("/:idScope/registrations/:registrationId/operations/:operationId")
                .handler(ctx -> operationStatus(ctx, templated(ctx)));
    }

    private void plainDeviceRequest(RoutingContext ctx) {
        DeviceRequestPath path = DeviceRequestPath.of(ctx.request().method(), ctx.normalizedPath());
        if (path == null) {
            ctx.next();
        } else if (path.operationId() == null) {
            register(ctx, path);
        } else {
            operationStatus(ctx, path);
        }
    }

    private static DeviceRequestPath templated(RoutingContext ctx) {
        return new DeviceRequestPath(ctx.pathParam("idScope"), ctx.pathParam("registrationId"),
                ctx.pathParam("operationId"));
    }

    /** The registration status read, mounted after the service API: its path can look like one of theirs. */
    public void mountStatusRead(Router router) {
        router.post("/:idScope/registrations/:registrationId").handler(this::registrationState);
    }

    private void register(RoutingContext ctx, DeviceRequestPath path) {
        Future.<RegistrationRequest>future(p -> p.complete(registrationRequest(ctx, path)))
                .compose(provisioning::register)
                .onSuccess(status -> writeOperation(ctx.response(), status))
                .onFailure(ctx::fail);
    }

    private RegistrationRequest registrationRequest(RoutingContext ctx, DeviceRequestPath path) {
        String apiVersion = ApiVersions.require(ctx.queryParams().get("api-version"));
        JsonObject body = jsonBody(ctx.body().buffer());
        Object bodyId = body.getValue("registrationId");
        if (bodyId != null && !(bodyId instanceof String)) {
            throw ProvisioningException.badRequest("registrationId must be a string.");
        }
        // "tpm": null is how some serializers write an absent member.
        DeviceCredential credential = body.getValue("tpm") != null ? tpmCredential(ctx, body.getValue("tpm")) : credential(ctx);
        return new RegistrationRequest(path.idScope(), path.registrationId(), (String) bodyId,
                credential, body.getValue("payload"), apiVersion,
                "true".equalsIgnoreCase(ctx.queryParams().get("forceRegistration")), clientAddress(ctx));
    }

    /** A TPM device's keys (spec 2.1) and, on its second request, the SAS token signed in its TPM (6.5). */
    private static DeviceCredential tpmCredential(RoutingContext ctx, Object tpm) {
        if (!(tpm instanceof JsonObject keys && keys.getValue("endorsementKey") instanceof String endorsementKey
                && keys.getValue("storageRootKey") instanceof String storageRootKey)) {
            throw ProvisioningException.badRequest("tpm must be an object with endorsementKey and storageRootKey strings.");
        }
        return new DeviceCredential.Tpm(endorsementKey, storageRootKey,
                ctx.request().getHeader(HttpHeaders.AUTHORIZATION));
    }

    private void operationStatus(RoutingContext ctx, DeviceRequestPath path) {
        Future.<StatusRequest>future(p -> p.complete(statusRequest(ctx, path)))
                .compose(provisioning::operationStatus)
                .onSuccess(status -> writeOperation(ctx.response(), status))
                .onFailure(ctx::fail);
    }

    private void registrationState(RoutingContext ctx) {
        Future.<StatusRequest>future(p -> {
                    StatusRequest request = statusRequest(ctx, templated(ctx));
                    if (ctx.body().length() > 0) {
                        jsonBody(ctx.body().buffer());
                    }
                    p.complete(request);
                })
                .compose(provisioning::registrationState)
                .onSuccess(record -> ctx.response().setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                        .end(RegistrationJson.registrationState(record).encode()))
                .onFailure(ctx::fail);
    }

    /** A poll's ({@code operationId} set) or a registration status read's. */
    private static StatusRequest statusRequest(RoutingContext ctx, DeviceRequestPath path) {
        ApiVersions.require(ctx.queryParams().get("api-version"));
        return new StatusRequest(path.idScope(), path.registrationId(), path.operationId(), credential(ctx),
                clientAddress(ctx));
    }

    private static String clientAddress(RoutingContext ctx) {
        SocketAddress remote = ctx.request().remoteAddress();
        return remote == null ? null : remote.hostAddress();
    }

    /** A SAS token when one is sent (symmetric key, TPM), else the TLS client certificate (X.509), else none. */
    private static DeviceCredential credential(RoutingContext ctx) {
        String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization != null) {
            return new DeviceCredential.Sas(authorization);
        }
        List<X509Certificate> chain = PeerCertificates.of(ctx.request().sslSession());
        return chain.isEmpty() ? new DeviceCredential.None() : new DeviceCredential.X509(chain);
    }

    private static JsonObject jsonBody(Buffer body) {
        if (body == null || body.length() == 0) {
            throw ProvisioningException.badRequest("The request body must be a JSON object.");
        }
        return DeviceRequestJson.object(body.toString(StandardCharsets.UTF_8));
    }

    private static void writeOperation(HttpServerResponse response, OperationStatus status) {
        response.putHeader(HttpHeaders.CONTENT_TYPE, JSON);
        if (status.terminal()) {
            response.setStatusCode(200);
        } else {
            response.setStatusCode(202).putHeader("Retry-After", RETRY_AFTER);
        }
        response.end(RegistrationJson.operation(status).toBuffer());
    }

    /** Every failure of the router (ours, or vertx-web's 400/404/405/413) as an Azure error body. */
    public static void failureHandler(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        if (failure == null || !(failure instanceof ProvisioningException)) {
            failure = HttpStatusErrors.forStatus(ctx.statusCode(), failure);
        }
        // The client's address, so that an operator can tell a misconfigured device from a stranger.
        HttpErrors.send(ctx.response(), ctx.request().method() + " " + ctx.request().path() + " from "
                + ctx.request().remoteAddress(), failure);
    }
}
