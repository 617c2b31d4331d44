package io.onramp.bench;

import io.onramp.certs.sas.SasToken;
import io.onramp.certs.sas.SasTokenException;
import io.onramp.certs.sas.SasTokenVerifier;
import io.onramp.certs.sas.SymmetricKeys;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The baseline: the DPS register and poll requests answered with nothing but the SAS check the
 * protocol requires (derive the device key from each group key, verify) and a JSON body. No
 * storage, no operation state, no router: what is left is the cost of TLS, HTTP and the crypto.
 */
final class BareSasHandler implements Handler<HttpServerRequest> {

    private static final CharSequence JSON = HttpHeaders.createOptimized("application/json; charset=utf-8");
    private static final CharSequence RETRY_AFTER = HttpHeaders.createOptimized("Retry-After");
    private static final CharSequence THREE = HttpHeaders.createOptimized("3");
    private static final String[] HUBS = {"127.0.0.2", "127.0.0.3"};

    private final String idScope;
    private final List<String> groupKeys;
    private final SasTokenVerifier verifier = new SasTokenVerifier(Clock.systemUTC(), Duration.ofMinutes(5));

    BareSasHandler(String idScope, List<String> groupKeys) {
        this.idScope = idScope;
        this.groupKeys = List.copyOf(groupKeys);
    }

    @Override
    public void handle(HttpServerRequest request) {
        // Read the whole body first, as any real handler must before answering.
        request.body().onSuccess(body -> answer(request)).onFailure(e -> request.connection().close());
    }

    private void answer(HttpServerRequest request) {
        // /{idScope}/registrations/{id}/register or /{idScope}/registrations/{id}/operations/{operationId}
        String[] path = request.path().split("/");
        boolean register = request.method() == HttpMethod.PUT && path.length == 5 && path[4].equals("register");
        boolean poll = request.method() == HttpMethod.GET && path.length == 6 && path[4].equals("operations");
        if ((!register && !poll) || !path[1].equals(idScope) || !path[2].equals("registrations")) {
            send(request, 404, new JsonObject().put("errorCode", 404002).put("message", "Not found."));
            return;
        }
        String registrationId = path[3];
        if (!verified(request.getHeader(HttpHeaders.AUTHORIZATION), registrationId)) {
            send(request, 401, new JsonObject().put("errorCode", 401002).put("message", "Unauthorized."));
            return;
        }
        if (register) {
            request.response().putHeader(RETRY_AFTER, THREE);
            send(request, 202, new JsonObject().put("operationId", operationId()).put("status", "assigning"));
        } else {
            send(request, 200, new JsonObject().put("operationId", path[5]).put("status", "assigned")
                    .put("registrationState", new JsonObject().put("registrationId", registrationId)
                            .put("assignedHub", HUBS[Math.floorMod(registrationId.hashCode(), HUBS.length)])
                            .put("deviceId", registrationId).put("status", "assigned")
                            .put("substatus", "initialAssignment")));
        }
    }

    private boolean verified(String authorization, String registrationId) {
        SasToken token;
        try {
            token = SasToken.parse(authorization);
        } catch (SasTokenException e) {
            return false;
        }
        if (!token.decodedResource().equalsIgnoreCase(idScope + "/registrations/" + registrationId)) {
            return false;
        }
        // Like the gateway, try every group key: a device may sign with the primary or the secondary.
        List<byte[]> keys = new ArrayList<>(groupKeys.size());
        for (String groupKey : groupKeys) {
            keys.add(SymmetricKeys.decode(SymmetricKeys.deriveDeviceKey(groupKey, registrationId)));
        }
        return verifier.verify(token, keys) == SasTokenVerifier.Verdict.VALID;
    }

    private static String operationId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "1." + Long.toHexString(random.nextLong()) + "." + Long.toHexString(random.nextLong());
    }

    private static void send(HttpServerRequest request, int status, JsonObject body) {
        request.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                .end(Buffer.buffer(body.encode()));
    }
}
