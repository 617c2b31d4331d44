package io.onramp.gateway.app;

import io.onramp.gateway.config.ConfigException;
import io.onramp.gateway.config.ConfigLoader;
import io.onramp.gateway.config.GatewayConfig;
import io.onramp.gateway.config.GatewayConfig.TlsConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the config file, and the server certificate and key it names, when they change on disk. Polled rather
 * than watched: a poll sees an editor's rename, a symlink swapped by a deployment tool and a file on a network
 * mount alike. A file that does not load is refused with the loader's message and the gateway runs on with what
 * it had; it is tried again when it changes again. A certificate and key written one after the other may be seen
 * half-way (the key not matching the certificate yet): refused like any invalid file, then applied when the
 * second file lands.
 */
public final class ConfigWatcher {

    private static final Logger LOG = LoggerFactory.getLogger(ConfigWatcher.class);
    /** How often the files are looked at: a change applies within this long. */
    public static final Duration INTERVAL = Duration.ofSeconds(2);

    private final Vertx vertx;
    private final Gateway gateway;
    private final Path file;
    private final ConfigLoader loader;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicBoolean forced = new AtomicBoolean();
    private List<Object> configStamp;
    private List<Object> tlsStamp;

    /** Takes the files as they are now for the ones the gateway started with: blocking (file attributes). */
    ConfigWatcher(Vertx vertx, Gateway gateway, Path file, ConfigLoader loader) {
        this.vertx = vertx;
        this.gateway = gateway;
        this.file = file;
        this.loader = loader;
        this.configStamp = stamp(List.of(file));
        this.tlsStamp = stamp(tlsFiles(gateway.config().tls()));
    }

    /**
     * Loads and applies the file and re-reads the certificate files at the next look, changed or not: for what no
     * file stamp shows, a key file named by {@code { file: ... }} that changed, say ({@code kill -HUP}).
     */
    public void reloadNow() {
        forced.set(true);
        vertx.runOnContext(v -> poll());
    }

    /** Called by the timer; a look still under way (a large file, a slow store) is not overlapped. */
    void poll() {
        if (!busy.compareAndSet(false, true)) {
            return;
        }
        vertx.executeBlocking(this::look, false)
                .compose(this::apply)
                .onComplete(done -> busy.set(false));
    }

    private record Change(GatewayConfig next, boolean config, boolean tls, boolean asked) {}

    /** On a worker: what changed since the last look, and the file loaded and validated; null when nothing is to apply. */
    private Change look() {
        List<Object> config = stamp(List.of(file));
        List<Object> tls = stamp(tlsFiles(gateway.config().tls()));
        boolean force = forced.getAndSet(false);
        boolean configChanged = force || !config.equals(configStamp);
        boolean tlsChanged = (force && !tls.isEmpty()) || !tls.equals(tlsStamp);
        configStamp = config;
        tlsStamp = tls;
        if (!configChanged && !tlsChanged) {
            return null;
        }
        try {
            return new Change(loader.load(file), configChanged, tlsChanged, force);
        } catch (ConfigException e) {
            LOG.warn("{} changed but is not applied; the gateway runs on with the config it had. {}", file, e.getMessage());
            return null;
        }
    }

    private Future<Void> apply(Change change) {
        if (change == null) {
            return Future.succeededFuture();
        }
        Future<Void> tls = change.tls() ? reloadTls() : Future.succeededFuture();
        return tls.compose(v -> change.config() ? reloadConfig(change.next(), change.asked()) : Future.succeededFuture())
                // A renewed certificate, or a group trusting a new CA, is judged now, not at the next daily check:
                // the expiry metric an alert watches must stop firing once the operator has acted.
                .compose(v -> gateway.checkCertificates().recover(e -> Future.succeededFuture()));
    }

    private Future<Void> reloadTls() {
        TlsConfig tls = gateway.config().tls();
        return gateway.reloadTls()
                .onSuccess(v -> LOG.info("TLS: {} and {} re-read; new connections get this certificate", tls.certificate(),
                        tls.privateKey()))
                .onFailure(e -> LOG.warn("TLS: {} and {} changed but could not be applied; the listeners keep the"
                        + " certificate they had: {}", tls.certificate(), tls.privateKey(), e.toString()))
                .recover(e -> Future.succeededFuture());
    }

    private Future<Void> reloadConfig(GatewayConfig next, boolean asked) {
        return gateway.reload(file.toString(), next)
                .onSuccess(reload -> log(reload, asked))
                .onFailure(e -> LOG.warn("{} changed but is not applied; the gateway runs on with the config it had. {}",
                        file, e instanceof ConfigException ? e.getMessage() : e.toString()))
                .<Void>mapEmpty()
                .recover(e -> Future.succeededFuture());
    }

    private void log(ConfigReload reload, boolean asked) {
        if (reload.changedAnything()) {
            LOG.info("{} reloaded: {}", file, reload.describe());
        } else if (asked) {
            LOG.info("{} read again as asked: no setting changed", file);
        } else {
            LOG.debug("{} changed on disk; no setting changed", file);
        }
        List<String> removed = reload.enrollments().removed();
        if (!removed.isEmpty()) {
            LOG.warn("{}: {} config enrollment(s) removed, as the file no longer has them: {}. Their devices can no longer"
                    + " register (those registered stay at their hubs); onramp config check FILE shows such a change"
                    + " before a file is put in place", file, removed.size(), ConfigPreview.briefly(removed));
        }
        if (!reload.needRestart().isEmpty()) {
            LOG.warn("{}: {} changed, which takes effect at the next start; until then the gateway runs with what it"
                    + " started with", file, String.join(", ", reload.needRestart()));
        }
    }

    private static List<Path> tlsFiles(TlsConfig tls) {
        return tls.selfMade() ? List.of() : List.of(tls.certificate(), tls.privateKey());
    }

    /** Size, modification time and file key (the inode: a rename over the file changes it) of each file, following links. */
    private static List<Object> stamp(List<Path> files) {
        List<Object> stamp = new ArrayList<>();
        for (Path path : files) {
            try {
                BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
                stamp.add(List.of(attributes.size(), attributes.lastModifiedTime(),
                        Objects.requireNonNullElse(attributes.fileKey(), "")));
            } catch (IOException e) {
                stamp.add("unreadable");
            }
        }
        return stamp;
    }
}
