package io.onramp.gateway.store;

/** A backup was asked for while another was being made: one at a time (see {@link Database#backupTo}). */
public final class BackupInProgressException extends RuntimeException {
    public BackupInProgressException() {
        super("a backup of the store is already being made; ask again once it is done");
    }
}
