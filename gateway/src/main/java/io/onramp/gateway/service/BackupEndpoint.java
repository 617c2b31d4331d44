package io.onramp.gateway.service;

import io.onramp.gateway.config.GatewayConfig.Right;
import io.onramp.gateway.error.ErrorCode;
import io.onramp.gateway.error.ProvisioningException;
import io.onramp.gateway.store.BackupInProgressException;
import io.onramp.gateway.store.BackupScratch;
import io.onramp.gateway.store.Database;
import io.vertx.core.Future;
import io.vertx.core.file.OpenOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /admin/backup}: a consistent copy of the store ({@link Database#backupTo}) as a zip, on the HTTPS
 * listener beside the CA certificates' admin API, signed the same way and needing the ServiceConfig right. The
 * zip is written to a file first (mode 600; in memory when there is room, else under dataDir: {@link BackupScratch})
 * and deleted once it is sent or sending fails.
 */
public final class BackupEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(BackupEndpoint.class);

    /** Matched case-insensitively, like the other admin paths. */
    public static final String PATHS = "(?i)^/admin/backup/?$";

    /** TLS records hold 16 KiB: four of them per read. */
    private static final int READ_CHUNK_BYTES = 64 * 1024;

    private final ServiceAuthenticator authenticator;
    private final Database database;
    private final BackupScratch scratch;

    public BackupEndpoint(ServiceAuthenticator authenticator, Database database, Path dataDir) {
        this.authenticator = authenticator;
        this.database = database;
        this.scratch = BackupScratch.of(dataDir);
    }

    public void mount(Router router) {
        router.routeWithRegex(PATHS).handler(this::handle);
    }

    private void handle(RoutingContext ctx) {
        Future.<Void>future(p -> {
                    authorize(ctx);
                    p.complete();
                })
                .compose(v -> ctx.vertx().executeBlocking(scratch::newBackup, false))
                .compose(place -> backup(place.zip())
                        .compose(v -> send(ctx, place.zip()).recover(e -> clientGone(ctx, e)))
                        .onComplete(r -> delete(ctx, place)))
                .onFailure(ctx::fail);
    }

    /** A client that closed the connection before the whole zip came is no fault of the gateway's: one line says so. */
    private static Future<Void> clientGone(RoutingContext ctx, Throwable e) {
        if (!ctx.response().closed() && !(e instanceof ClosedChannelException)) {
            return Future.failedFuture(e);
        }
        LOG.info("backup not sent to {}: the connection closed before the whole zip went ({})",
                ctx.request().remoteAddress(), e.getMessage());
        return Future.succeededFuture();
    }

    private void authorize(RoutingContext ctx) {
        if (ctx.request().method() != HttpMethod.POST) {
            throw new ProvisioningException(ErrorCode.METHOD_NOT_ALLOWED, "Method not allowed: the backup is a POST.");
        }
        ServiceApiEndpoint.authenticate(ctx, authenticator, Right.ServiceConfig);
    }

    private Future<Void> backup(Path file) {
        return database.backupTo(file).recover(e -> Future.failedFuture(e instanceof BackupInProgressException
                ? new ProvisioningException(ErrorCode.CONFLICT, "Not backed up: " + e.getMessage() + ".")
                : new ProvisioningException(ErrorCode.INTERNAL, "The store could not be backed up: " + e.getMessage()
                        + ". See the gateway's log; the store is unchanged.")));
    }

    /**
     * Streamed from a file Vert.x reads on its own threads: {@code sendFile} over TLS reads each chunk on the event
     * loop, from the disk when the zip (hundreds of MB for a million devices) is no longer in the page cache.
     */
    private static Future<Void> send(RoutingContext ctx, Path file) {
        return ctx.vertx().fileSystem().open(file.toString(), new OpenOptions().setRead(true)).compose(zip -> {
            zip.setReadBufferSize(READ_CHUNK_BYTES);
            return zip.size().compose(size -> {
                ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/zip")
                        .putHeader(HttpHeaders.CONTENT_LENGTH, Long.toString(size))
                        .putHeader("x-ms-request-id", UUID.randomUUID().toString());
                return zip.pipeTo(ctx.response());
            }).eventually(zip::close);
        });
    }

    private static void delete(RoutingContext ctx, BackupScratch.Place place) {
        ctx.vertx().executeBlocking(() -> {
            place.delete();
            return null;
        }, false).onFailure(e -> LOG.warn("backup: {} could not be deleted: {}", place.zip(), e.toString()));
    }
}
