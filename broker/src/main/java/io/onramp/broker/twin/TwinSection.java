package io.onramp.broker.twin;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * The desired or the reported properties of a twin: values, {@code $metadata} with
 * {@code $lastUpdated} at every object level and leaf ({@code $lastUpdatedVersion} too in desired),
 * and {@code $version}, which starts at 1 and grows by one per write (hub-device-protocol.md 6.2).
 * Immutable: every write answers a new section.
 */
public final class TwinSection {

    public static final String VERSION = "$version";
    public static final String METADATA = "$metadata";
    static final String LAST_UPDATED = "$lastUpdated";
    static final String LAST_UPDATED_VERSION = "$lastUpdatedVersion";

    /** Which section, with its name on the wire and its size limit. */
    public enum Kind {
        DESIRED("desired", TwinLimits.MAX_DESIRED_BYTES, true),
        REPORTED("reported", TwinLimits.MAX_REPORTED_BYTES, false);

        private final String wireName;
        private final int maxBytes;
        private final boolean versionedMetadata;

        Kind(String wireName, int maxBytes, boolean versionedMetadata) {
            this.wireName = wireName;
            this.maxBytes = maxBytes;
            this.versionedMetadata = versionedMetadata;
        }

        public String wireName() {
            return wireName;
        }
    }

    private final Kind kind;
    private final JsonObject values;
    private final JsonObject metadata;
    private final long version;

    private TwinSection(Kind kind, JsonObject values, JsonObject metadata, long version) {
        this.kind = kind;
        this.values = values;
        this.metadata = metadata;
        this.version = version;
    }

    /** A new section at version 1 holding {@code values} (nulls dropped, {@code $} members ignored). */
    public static TwinSection create(Kind kind, JsonObject values, Instant now) {
        JsonObject clean = JsonPatches.withoutNulls(JsonPatches.withoutSystemKeys(values));
        TwinValidator.check(kind.wireName, clean);
        TwinValidator.checkSize(kind.wireName, clean, kind.maxBytes);
        Stamp stamp = new Stamp(kind, now, 1);
        JsonObject metadata = stamp.node();
        stampAll(clean, metadata, stamp);
        return new TwinSection(kind, clean, metadata, 1);
    }

    /**
     * A section as stored. Metadata missing for some values (rows written before metadata was
     * kept) is filled in with {@code fallback}, so old data directories keep working.
     */
    public static TwinSection restore(Kind kind, JsonObject values, JsonObject metadata, long version, Instant fallback) {
        JsonObject completed = metadata == null ? new JsonObject() : metadata.copy();
        complete(values, completed, new Stamp(kind, fallback, version));
        return new TwinSection(kind, values.copy(), completed, version);
    }

    /** Merges a patch ({@code $} members at its root ignored) and answers the section at the next version. */
    public TwinSection merge(JsonObject patch, Instant now) {
        JsonObject clean = JsonPatches.withoutSystemKeys(patch);
        TwinValidator.check(kind.wireName, clean);
        JsonObject newValues = values.copy();
        JsonObject newMetadata = metadata.copy();
        Stamp stamp = new Stamp(kind, now, version + 1);
        mergeLevel(newValues, newMetadata, clean, stamp);
        TwinValidator.checkSize(kind.wireName, newValues, kind.maxBytes);
        return new TwinSection(kind, newValues, newMetadata, version + 1);
    }

    /** Replaces all values; unchanged members keep their metadata. */
    public TwinSection replace(JsonObject newValues, Instant now) {
        JsonObject clean = JsonPatches.withoutNulls(JsonPatches.withoutSystemKeys(newValues));
        TwinValidator.check(kind.wireName, clean);
        return merge(JsonPatches.diff(values, clean), now);
    }

    public Kind kind() {
        return kind;
    }

    public long version() {
        return version;
    }

    public JsonObject values() {
        return values.copy();
    }

    public JsonObject metadata() {
        return metadata.copy();
    }

    /** The values as JSON text, as stored; no copy made on the way. */
    public String valuesJson() {
        return values.encode();
    }

    /** The metadata as JSON text, as stored. */
    public String metadataJson() {
        return metadata.encode();
    }

    /** What a device reads: values and {@code $version}, no metadata. */
    public JsonObject deviceView() {
        return values.copy().put(VERSION, version);
    }

    /** What the service reads: values, {@code $metadata} and {@code $version}. */
    public JsonObject serviceView() {
        return values.copy().put(METADATA, metadata.copy()).put(VERSION, version);
    }

    private static void mergeLevel(JsonObject values, JsonObject metadata, JsonObject patch, Stamp stamp) {
        for (String key : patch.fieldNames()) {
            Object value = patch.getValue(key);
            if (value == null) {
                values.remove(key);
                metadata.remove(key);
            } else if (value instanceof JsonObject object) {
                JsonObject childValues;
                JsonObject childMetadata;
                if (values.getValue(key) instanceof JsonObject existing) {
                    childValues = existing;
                    childMetadata = metadata.getValue(key) instanceof JsonObject meta ? meta : stamp.node();
                } else {
                    childValues = new JsonObject();
                    childMetadata = stamp.node();
                }
                mergeLevel(childValues, childMetadata, object, stamp);
                values.put(key, childValues);
                metadata.put(key, childMetadata);
            } else {
                values.put(key, JsonPatches.copy(value));
                metadata.put(key, stamp.node());
            }
        }
        // Every object on the path of a change was updated too.
        stamp.applyTo(metadata);
    }

    private static void stampAll(JsonObject values, JsonObject metadata, Stamp stamp) {
        for (String key : values.fieldNames()) {
            JsonObject node = stamp.node();
            if (values.getValue(key) instanceof JsonObject object) {
                stampAll(object, node, stamp);
            }
            metadata.put(key, node);
        }
    }

    private static void complete(JsonObject values, JsonObject metadata, Stamp fallback) {
        if (!metadata.containsKey(LAST_UPDATED)) {
            fallback.applyTo(metadata);
        }
        for (String key : values.fieldNames()) {
            JsonObject node = metadata.getValue(key) instanceof JsonObject existing ? existing : fallback.node();
            if (values.getValue(key) instanceof JsonObject object) {
                complete(object, node, fallback);
            }
            metadata.put(key, node);
        }
        metadata.fieldNames().removeIf(key -> !key.startsWith("$") && !values.containsKey(key));
    }

    /** The metadata a write leaves on each node it touches. */
    private record Stamp(Kind kind, String time, long version) {
        Stamp(Kind kind, Instant now, long version) {
            this(kind, TwinTime.format(now), version);
        }

        JsonObject node() {
            return applyTo(new JsonObject());
        }

        JsonObject applyTo(JsonObject node) {
            node.put(LAST_UPDATED, time);
            if (kind.versionedMetadata) {
                node.put(LAST_UPDATED_VERSION, version);
            }
            return node;
        }
    }
}
