package io.onramp.gateway.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.onramp.gateway.error.HttpErrors;
import io.onramp.gateway.error.ProvisioningException;
import io.onramp.gateway.provisioning.EnrollmentRef;
import io.onramp.gateway.store.EnrollmentWrite.IfExists;
import io.onramp.gateway.store.JdbcEnrollmentStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * A bulk enrollment operation (spec §9): up to {@link #MAX_ITEMS} items, applied one after the
 * other, each succeeding or failing on its own; the request itself is refused whole (nothing
 * applied) when its shape is wrong or it holds too many items.
 */
final class BulkOperation {

    /** Azure's limit, stated in the operation summary of both swagger versions. */
    static final int MAX_ITEMS = 10;

    enum Mode { CREATE, UPDATE, UPDATE_IF_MATCH_ETAG, DELETE }

    private final EnrollmentRef.Kind kind;
    private final Mode mode;
    private final List<ObjectNode> items;

    private BulkOperation(EnrollmentRef.Kind kind, Mode mode, List<ObjectNode> items) {
        this.kind = kind;
        this.mode = mode;
        this.items = items;
    }

    /** @throws ProvisioningException 400 when the operation as a whole is malformed */
    static BulkOperation parse(EnrollmentRef.Kind kind, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ProvisioningException.badRequest("The body must be a bulk operation: {\"mode\": ..., \""
                    + member(kind) + "\": [...]}.");
        }
        Mode mode = mode(body.get("mode"));
        JsonNode list = body.get(member(kind));
        if (list == null || !list.isArray()) {
            throw ProvisioningException.badRequest("The bulk operation needs a list '" + member(kind) + "'.");
        }
        if (list.size() > MAX_ITEMS) {
            throw ProvisioningException.badRequest("A bulk operation holds at most " + MAX_ITEMS + " items; this one has "
                    + list.size() + ".");
        }
        List<ObjectNode> items = new ArrayList<>();
        for (JsonNode item : list) {
            if (!(item instanceof ObjectNode object) || EnrollmentDrafts.idOf(kind, item) == null) {
                throw ProvisioningException.badRequest("Every item of '" + member(kind) + "' must be an object with a "
                        + idField(kind) + ".");
            }
            items.add(object);
        }
        return new BulkOperation(kind, mode, items);
    }

    /** Runs the items in order; the result lists the ones that failed, with why. */
    Future<JsonObject> run(JdbcEnrollmentStore store) {
        return run((item, id) -> apply(store, item, id));
    }

    /**
     * Hands every item to the store at once, in array order: the store's single writer applies them
     * in that order (a later item sees an earlier one) and commits them together. Chained one after
     * another, each item waited for the commit of the one before: ten commits per bulk operation,
     * which capped an import at a few hundred enrollments per second.
     */
    Future<JsonObject> run(BiFunction<ObjectNode, String, Future<Void>> apply) {
        List<Future<JsonObject>> outcomes = new ArrayList<>();
        for (ObjectNode item : items) {
            String id = EnrollmentDrafts.idOf(kind, item);
            outcomes.add(apply.apply(item, id).map(v -> (JsonObject) null).otherwise(failure -> {
                ProvisioningException error = HttpErrors.classify(failure);
                return new JsonObject().put(idField(kind), id).put("errorCode", error.errorCode())
                        .put("errorStatus", error.publicMessage());
            }));
        }
        return Future.join(outcomes).transform(done -> {
            JsonArray errors = new JsonArray();
            outcomes.stream().map(Future::result).filter(Objects::nonNull).forEach(errors::add);
            return Future.succeededFuture(new JsonObject().put("isSuccessful", errors.isEmpty()).put("errors", errors));
        });
    }

    private Future<Void> apply(JdbcEnrollmentStore store, ObjectNode item, String id) {
        String etag = item.hasNonNull("etag") ? item.get("etag").asText() : null;
        return switch (mode) {
            case CREATE -> store.put(EnrollmentDrafts.write(kind, id, item, null, IfExists.CONFLICT, false)).mapEmpty();
            case UPDATE -> store.put(EnrollmentDrafts.write(kind, id, item, null, IfExists.REPLACE, false)).mapEmpty();
            case UPDATE_IF_MATCH_ETAG -> etag == null
                    ? Future.failedFuture(ProvisioningException.badRequest("updateIfMatchETag needs the item's etag."))
                    : store.put(EnrollmentDrafts.write(kind, id, item, etag, IfExists.REPLACE, true)).mapEmpty();
            case DELETE -> store.delete(kind, id, etag).mapEmpty();
        };
    }

    /** Compared ignoring case: Node spells it updateIfMatchEtag (spec 9). */
    private static Mode mode(JsonNode mode) {
        String text = mode != null && mode.isTextual() ? mode.textValue().toLowerCase(Locale.ROOT) : "";
        return switch (text) {
            case "create" -> Mode.CREATE;
            case "update" -> Mode.UPDATE;
            case "updateifmatchetag" -> Mode.UPDATE_IF_MATCH_ETAG;
            case "delete" -> Mode.DELETE;
            default -> throw ProvisioningException.badRequest("mode must be create, update, updateIfMatchETag or delete.");
        };
    }

    private static String member(EnrollmentRef.Kind kind) {
        return kind == EnrollmentRef.Kind.GROUP ? "enrollmentGroups" : "enrollments";
    }

    private static String idField(EnrollmentRef.Kind kind) {
        return kind == EnrollmentRef.Kind.GROUP ? "enrollmentGroupId" : "registrationId";
    }
}
