package io.onramp.broker.twin;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class JsonPatchesTest {

    @Test
    void objectsMergeRecursivelyNullDeletesAndArraysReplace() {
        JsonObject target = new JsonObject("""
                {"a":{"x":1,"y":2},"list":[1,2,3],"gone":true,"keep":"k"}""");
        JsonObject patch = new JsonObject("""
                {"a":{"y":null,"z":3},"list":[9],"gone":null,"new":{"n":null,"m":1}}""");

        JsonObject merged = JsonPatches.merge(target, patch);

        assertThat(merged).isEqualTo(new JsonObject("""
                {"a":{"x":1,"z":3},"list":[9],"keep":"k","new":{"m":1}}"""));
        assertThat(target.getJsonObject("a").getInteger("y")).as("target unchanged").isEqualTo(2);
    }

    @Test
    void diffTurnsOneDocumentIntoTheOther() {
        JsonObject from = new JsonObject("""
                {"a":{"x":1,"y":2},"s":"old","same":5,"gone":{"deep":1},"obj":{"o":1}}""");
        JsonObject to = new JsonObject("""
                {"a":{"x":1},"s":"new","same":5,"obj":7,"added":{"q":true}}""");

        JsonObject diff = JsonPatches.diff(from, to);

        assertThat(diff).isEqualTo(new JsonObject("""
                {"a":{"y":null},"s":"new","obj":7,"added":{"q":true},"gone":null}"""));
        assertThat(JsonPatches.merge(from, diff)).isEqualTo(to);
    }

    @Test
    void identicalDocumentsHaveAnEmptyDiff() {
        JsonObject doc = new JsonObject("{\"a\":{\"b\":[1,{\"c\":2}]},\"n\":1}");
        assertThat(JsonPatches.diff(doc, doc.copy())).isEmpty();
    }

    @Test
    void systemKeysAndNullsAreStripped() {
        JsonObject echoed = new JsonObject("{\"x\":1,\"$version\":4,\"$metadata\":{},\"n\":null,\"o\":{\"p\":null}}");
        assertThat(JsonPatches.withoutNulls(JsonPatches.withoutSystemKeys(echoed)))
                .isEqualTo(new JsonObject("{\"x\":1,\"o\":{}}"));
    }
}
