package io.onramp.broker.twin;

import io.vertx.core.json.JsonObject;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Base64;

/**
 * A device twin: tags (service only), desired and reported properties, and the twin
 * {@code version}, which grows with every write of tags or desired properties and gives the twin
 * its etag (hub-device-protocol.md 3.6, 6.2). Immutable; the rules live in {@link TwinSection}.
 */
public final class TwinDocument {

    private final JsonObject tags;
    private final TwinSection desired;
    private final TwinSection reported;
    private final long version;

    private TwinDocument(JsonObject tags, TwinSection desired, TwinSection reported, long version) {
        this.tags = tags;
        this.desired = desired;
        this.reported = reported;
        this.version = version;
    }

    /**
     * The twin of a new device: tags and desired properties from the enrollment's initial twin
     * ({@code $version}/{@code $metadata} in it ignored), empty reported, both sections at version 1
     * (hub-device-protocol.md 6.5).
     */
    public static TwinDocument initial(JsonObject tags, JsonObject desired, Instant now) {
        return new TwinDocument(cleanTags(tags), TwinSection.create(TwinSection.Kind.DESIRED, desired, now),
                TwinSection.create(TwinSection.Kind.REPORTED, new JsonObject(), now), 1);
    }

    public static TwinDocument restore(JsonObject tags, TwinSection desired, TwinSection reported, long version) {
        return new TwinDocument(tags.copy(), desired, reported, version);
    }

    /** A service PATCH: tags and desired merged (either may be null); the twin version grows. */
    public TwinChange patch(TwinUpdate update, Instant now) {
        JsonObject newTags = tags;
        if (update.tags() != null) {
            JsonObject patch = JsonPatches.withoutSystemKeys(update.tags());
            TwinValidator.check("tags", patch);
            newTags = JsonPatches.merge(tags, patch);
            TwinValidator.checkSize("tags", newTags, TwinLimits.MAX_TAGS_BYTES);
        }
        if (update.desired() == null) {
            return new TwinChange(new TwinDocument(newTags, desired, reported, version + 1), null);
        }
        TwinSection newDesired = desired.merge(update.desired(), now);
        return new TwinChange(new TwinDocument(newTags, newDesired, reported, version + 1),
                JsonPatches.withoutSystemKeys(update.desired()));
    }

    /** A service PUT: tags and desired replaced (either may be null, then it is kept); the device hears a computed patch. */
    public TwinChange replace(TwinUpdate update, Instant now) {
        JsonObject newTags = update.tags() == null ? tags : cleanTags(update.tags());
        if (update.desired() == null) {
            return new TwinChange(new TwinDocument(newTags, desired, reported, version + 1), null);
        }
        TwinSection newDesired = desired.replace(update.desired(), now);
        return new TwinChange(new TwinDocument(newTags, newDesired, reported, version + 1),
                JsonPatches.diff(desired.values(), newDesired.values()));
    }

    /** Re-provisioning with "reset": tags and desired from the initial twin, reported cleared, all versions grow. */
    public TwinChange reset(JsonObject initialTags, JsonObject initialDesired, Instant now) {
        TwinSection newDesired = desired.replace(initialDesired, now);
        TwinSection newReported = reported.replace(new JsonObject(), now);
        return new TwinChange(new TwinDocument(cleanTags(initialTags), newDesired, newReported, version + 1),
                JsonPatches.diff(desired.values(), newDesired.values()));
    }

    /** A device's reported-properties patch; the twin version (and etag) stay, the reported version grows. */
    public TwinDocument patchReported(JsonObject patch, Instant now) {
        return new TwinDocument(tags, desired, reported.merge(patch, now), version);
    }

    /** Azure's twin etag: the version as 8 big-endian bytes in Base64 ({@code AAAAAAAAAAE=} for 1). */
    public String etag() {
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(Long.BYTES).putLong(version).array());
    }

    public long version() {
        return version;
    }

    public JsonObject tags() {
        return tags.copy();
    }

    /** The tags as JSON text, as stored; no copy made on the way. */
    public String tagsJson() {
        return tags.encode();
    }

    public TwinSection desired() {
        return desired;
    }

    public TwinSection reported() {
        return reported;
    }

    /** What a device's twin GET answers: {@code {"desired":{…,"$version":n},"reported":{…,"$version":m}}}. */
    public JsonObject deviceView() {
        return new JsonObject().put("desired", desired.deviceView()).put("reported", reported.deviceView());
    }

    /** The twin part of the service view; the registry adds the identity fields around it. */
    public JsonObject serviceView() {
        return new JsonObject()
                .put("etag", etag())
                .put("version", version)
                .put("tags", tags.copy())
                .put("properties", new JsonObject()
                        .put("desired", desired.serviceView())
                        .put("reported", reported.serviceView()));
    }

    private static JsonObject cleanTags(JsonObject tags) {
        JsonObject clean = JsonPatches.withoutNulls(JsonPatches.withoutSystemKeys(tags));
        TwinValidator.check("tags", clean);
        TwinValidator.checkSize("tags", clean, TwinLimits.MAX_TAGS_BYTES);
        return clean;
    }
}
