package io.onramp.gateway.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.onramp.gateway.config.GatewayConfig.Right;
import io.onramp.gateway.enrollment.EnrollmentJson;
import io.onramp.gateway.error.ErrorCode;
import io.onramp.gateway.error.ProvisioningException;
import io.onramp.gateway.http.ApiVersions;
import io.onramp.gateway.json.StrictJson;
import io.onramp.gateway.provisioning.EnrollmentRef;
import io.onramp.gateway.provisioning.RegistrationRecord;
import io.onramp.gateway.store.EnrollmentErrors;
import io.onramp.gateway.store.EnrollmentWrite;
import io.onramp.gateway.store.JdbcEnrollmentStore;
import io.onramp.gateway.store.JdbcRegistrationStore;
import io.onramp.policy.enrollment.Enrollment;
import io.onramp.policy.enrollment.RegistrationIds;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * The DPS service (data plane) API on the HTTPS listener (dps-service-api.md §3): enrollments,
 * enrollment groups, registration states, queries and bulk operations, for the official service
 * SDKs. Parses, authenticates, delegates to the stores and answers; the rules live in the store
 * (conditions, config ownership), {@link EnrollmentDrafts} (body to enrollment) and
 * {@link EnrollmentJson} (what a read discloses).
 */
public final class ServiceApiEndpoint {

    /** Azure's maximum message size for the service API (spec 14); larger bodies get 413. */
    public static final long MAX_BODY_BYTES = 96 * 1024;
    private static final String JSON = "application/json; charset=utf-8";

    private final ServiceAuthenticator authenticator;
    private final JdbcEnrollmentStore enrollments;
    private final JdbcRegistrationStore registrations;

    public ServiceApiEndpoint(ServiceAuthenticator authenticator, JdbcEnrollmentStore enrollments,
            JdbcRegistrationStore registrations) {
        this.authenticator = authenticator;
        this.enrollments = enrollments;
        this.registrations = registrations;
    }

    public void mount(Router router) {
        router.routeWithRegex(ServiceOperation.PATHS).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        Future.<ServiceOperation>future(p -> p.complete(authorize(ctx)))
                .compose(op -> dispatch(ctx, op))
                .onFailure(ctx::fail);
    }

    private ServiceOperation authorize(RoutingContext ctx) {
        ServiceOperation op = ServiceOperation.parse(ctx.request().method().name(), ctx.request().path());
        authenticate(ctx, authenticator, op.action().right());
        return op;
    }

    /** The api-version and the SAS token with the right a call needs; shared with the admin API. */
    static void authenticate(RoutingContext ctx, ServiceAuthenticator authenticator, Right right) {
        ApiVersions.requireService(ctx.queryParams().get("api-version"));
        String host = ctx.request().authority() == null ? null : ctx.request().authority().host();
        authenticator.authenticate(host, ctx.request().path(), ctx.request().getHeader(HttpHeaders.AUTHORIZATION), right);
    }

    private Future<Void> dispatch(RoutingContext ctx, ServiceOperation op) {
        String ifMatch = ctx.request().getHeader(HttpHeaders.IF_MATCH);
        return switch (op.action()) {
            case PUT -> enrollments.put(EnrollmentDrafts.write(op.kind(), op.id(), jsonObject(ctx), ifMatch, ifExists(ctx), false))
                    .map(saved -> enrollment(ctx, saved));
            case GET -> found(op).map(e -> enrollment(ctx, e));
            case DELETE -> enrollments.delete(op.kind(), op.id(), ifMatch).map(deleted -> noContent(ctx));
            // The one read that discloses keys (spec 5.4); the body, none or {}, is ignored.
            case ATTESTATION_MECHANISM -> found(op)
                    .map(e -> send(ctx, EnrollmentJson.attestation(e.attestation(), EnrollmentJson.View.ATTESTATION)));
            case QUERY -> query(ctx, op.kind());
            case BULK -> Future.<BulkOperation>future(p -> p.complete(BulkOperation.parse(op.kind(), jsonTree(ctx))))
                    .compose(bulk -> bulk.run(enrollments))
                    .map(result -> send(ctx, result));
            case REGISTRATION_GET -> registrations.find(op.id())
                    .map(found -> found.orElseThrow(() -> registrationNotFound(op.id())))
                    .map(record -> send(ctx, RegistrationStateJson.write(record)));
            case REGISTRATION_DELETE -> registrations.delete(op.id(), ifMatch).map(deleted -> noContent(ctx));
            case REGISTRATION_QUERY -> registrationQuery(ctx, op.id());
        };
    }

    /** {@code If-None-Match: *} makes a PUT create-only (RFC 9110 13.1.2): 412 if the enrollment exists. */
    private static EnrollmentWrite.IfExists ifExists(RoutingContext ctx) {
        String ifNoneMatch = ctx.request().getHeader(HttpHeaders.IF_NONE_MATCH);
        if (ifNoneMatch == null) {
            return EnrollmentWrite.IfExists.REPLACE;
        }
        if (!ifNoneMatch.strip().equals("*")) {
            throw ProvisioningException.badRequest("If-None-Match on a PUT must be * (create only, never replace).");
        }
        return EnrollmentWrite.IfExists.PRECONDITION_FAILED;
    }

    private Future<Enrollment> found(ServiceOperation op) {
        return enrollments.find(op.kind(), op.id())
                .map(found -> found.orElseThrow(() -> EnrollmentErrors.notFound(op.kind(), op.id())));
    }

    private Future<Void> query(RoutingContext ctx, EnrollmentRef.Kind kind) {
        JsonNode body = jsonTree(ctx);
        JsonNode query = body.get("query");
        QueryPaging.requireSelectAll(query != null && query.isTextual() ? query.textValue() : null);
        QueryPaging paging = paging(ctx);
        return enrollments.page(kind, paging.afterKey(), paging.pageSize() + 1)
                .map(page -> sendPage(ctx, paging, page, kind == EnrollmentRef.Kind.GROUP ? "enrollmentGroup" : "enrollment",
                        e -> EnrollmentJson.write(e, EnrollmentJson.View.PUBLIC),
                        e -> RegistrationIds.key(JdbcEnrollmentStore.id(e))));
    }

    /**
     * The records of a group's devices; the SDKs send a QuerySpecification, which is ignored (spec 3). With no
     * group ({@code POST /registrations/query}, Onramp's own), every record, individual enrollments' included.
     */
    private Future<Void> registrationQuery(RoutingContext ctx, String groupId) {
        QueryPaging paging = paging(ctx);
        Future<List<RegistrationRecord>> records = groupId == null
                ? registrations.page(paging.afterKey(), paging.pageSize() + 1)
                : enrollments.find(EnrollmentRef.Kind.GROUP, groupId)
                        .map(found -> found.orElseThrow(() -> EnrollmentErrors.notFound(EnrollmentRef.Kind.GROUP, groupId)))
                        .compose(group -> registrations.pageByGroup(JdbcEnrollmentStore.id(group), paging.afterKey(),
                                paging.pageSize() + 1));
        return records
                .map(page -> sendPage(ctx, paging, page, "deviceRegistration", RegistrationStateJson::write,
                        r -> RegistrationIds.key(r.registrationId())));
    }

    private static QueryPaging paging(RoutingContext ctx) {
        return QueryPaging.parse(ctx.request().getHeader("x-ms-max-item-count"), ctx.request().getHeader("x-ms-continuation"));
    }

    /**
     * Writes a page. {@code x-ms-item-type} is required by Java; {@code x-ms-continuation} appears only
     * when another page follows, since an empty one makes Java loop (spec 8).
     */
    private static <T> Void sendPage(RoutingContext ctx, QueryPaging paging, List<T> fetched, String itemType,
            Function<T, JsonObject> view, Function<T, String> key) {
        boolean more = fetched.size() > paging.pageSize();
        List<T> page = more ? fetched.subList(0, paging.pageSize()) : fetched;
        JsonArray items = new JsonArray();
        page.forEach(item -> items.add(view.apply(item)));
        ctx.response().putHeader("x-ms-item-type", itemType)
                .putHeader("x-ms-max-item-count", Integer.toString(paging.pageSize()));
        if (more) {
            ctx.response().putHeader("x-ms-continuation", QueryPaging.token(key.apply(page.get(page.size() - 1))));
        }
        return send(ctx, items.encode());
    }

    private static Void enrollment(RoutingContext ctx, Enrollment e) {
        ctx.response().putHeader(HttpHeaders.ETAG, e.etag());
        return send(ctx, EnrollmentJson.write(e, EnrollmentJson.View.PUBLIC));
    }

    static Void send(RoutingContext ctx, JsonObject body) {
        return send(ctx, body.encode());
    }

    private static Void send(RoutingContext ctx, String body) {
        ctx.response().setStatusCode(200).putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                .putHeader("x-ms-request-id", UUID.randomUUID().toString()).end(body);
        return null;
    }

    static Void noContent(RoutingContext ctx) {
        ctx.response().setStatusCode(204).putHeader("x-ms-request-id", UUID.randomUUID().toString()).end();
        return null;
    }

    static ObjectNode jsonObject(RoutingContext ctx) {
        if (jsonTree(ctx) instanceof ObjectNode object) {
            return object;
        }
        throw new ProvisioningException(ErrorCode.FORMAT_ERROR, "The request body must be a JSON object.");
    }

    /** The body as JSON; an empty body is an empty object (Node's attestation-mechanism call sends none). */
    private static JsonNode jsonTree(RoutingContext ctx) {
        Buffer body = ctx.body().buffer();
        if (body == null || body.length() == 0) {
            return StrictJson.MAPPER.createObjectNode();
        }
        try {
            return StrictJson.MAPPER.readTree(body.getBytes());
        } catch (JsonProcessingException e) {
            throw new ProvisioningException(ErrorCode.FORMAT_ERROR, StrictJson.duplicateKey(e)
                    .map(key -> "The request body has the field '" + StrictJson.shown(key) + "' twice in one object.")
                    .orElse("The request body is not valid JSON."));
        } catch (java.io.IOException e) {
            throw new ProvisioningException(ErrorCode.FORMAT_ERROR, "The request body cannot be read.");
        }
    }

    private static ProvisioningException registrationNotFound(String id) {
        return new ProvisioningException(ErrorCode.REGISTRATION_NOT_FOUND, "Registration " + id + " was not found.");
    }
}
