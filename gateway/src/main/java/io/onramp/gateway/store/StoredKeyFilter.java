package io.onramp.gateway.store;

import io.vertx.core.Future;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Bloom filter of the keys of one table (registration records, individual enrollments), so that a
 * device registering for the first time through a group (the factory's usual case) costs no database
 * read. "Absent" is exact, "maybe" is checked in the database. Sound only because this process is the
 * store's only writer (the embedded H2 file is locked) and every key is added here before its write
 * commits; a deleted key stays a harmless "maybe".
 *
 * <p>Until {@link #install} has loaded the keys already stored, every key is a "maybe". Sized at loading
 * for twice the stored count (at least a million keys, 2 MiB; at most 128 MiB); past that the false
 * "maybe"s grow, which costs reads, never answers, until the next start sizes it again.
 */
final class StoredKeyFilter {

    private static final Logger LOG = LoggerFactory.getLogger(StoredKeyFilter.class);

    static final int MIN_CAPACITY = 1 << 20;
    private static final int BITS_PER_KEY = 16;
    private static final int HASHES = 4;
    /** 128 MiB: room for 67 million keys; past that the false "maybe"s grow instead of the heap. */
    private static final long MAX_BITS = 1L << 30;
    private static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);

    private volatile Bits bits;
    private List<String> addedWhileLoading = new ArrayList<>();

    /**
     * Loads the stored keys in the background ({@code countSql} gives their number, {@code keysSql} lists
     * them); completes once they are installed. If that fails, every key stays a "maybe".
     */
    Future<Void> load(Database database, String countSql, String keysSql) {
        Future<Void> loaded = database.readInBackground(c -> read(c, countSql, keysSql)).map(bits -> {
            install(bits);
            return null;
        });
        loaded.onFailure(e -> LOG.warn("keys of '{}' not loaded, every lookup reads the store: {}", keysSql, e.toString()));
        return loaded;
    }

    private static Bits read(Connection c, String countSql, String keysSql) throws SQLException {
        Bits bits;
        try (PreparedStatement s = c.prepareStatement(countSql); ResultSet rs = s.executeQuery()) {
            rs.next();
            bits = sizedFor(rs.getLong(1));
        }
        try (PreparedStatement s = c.prepareStatement(keysSql); ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                bits.add(rs.getString(1));
            }
        }
        return bits;
    }

    /** The bits for a store holding {@code storedKeys}; fill them, then {@link #install} them. */
    static Bits sizedFor(long storedKeys) {
        long capacity = Math.max(MIN_CAPACITY, 2 * storedKeys);
        long wanted = Math.min(capacity * BITS_PER_KEY, MAX_BITS);
        return new Bits(Long.highestOneBit(wanted - 1) << 1);
    }

    /** Publishes the loaded bits, with the keys added meanwhile; from then on, absent keys are known. */
    synchronized void install(Bits loaded) {
        addedWhileLoading.forEach(loaded::add);
        addedWhileLoading = null;
        bits = loaded;
    }

    void add(String key) {
        Bits current = bits;
        if (current != null) {
            current.add(key);
            return;
        }
        synchronized (this) {
            if (bits != null) {
                bits.add(key);
            } else {
                addedWhileLoading.add(key);
            }
        }
    }

    /** False only if the store certainly holds no record under this key. */
    boolean mightContain(String key) {
        Bits current = bits;
        return current == null || current.mightContain(key);
    }

    boolean loaded() {
        return bits != null;
    }

    /** The bit array; adds are atomic, so event loops and the loader may add at once. */
    static final class Bits {
        private final long[] words;
        private final long mask;

        private Bits(long size) {
            this.words = new long[(int) (size >>> 6)];
            this.mask = size - 1;
        }

        void add(String key) {
            long h = hash(key);
            long step = (h >>> 32) | 1; // odd, so the probes never repeat within a power-of-two size
            for (int i = 0; i < HASHES; i++) {
                long bit = (h + i * step) & mask;
                WORDS.getAndBitwiseOr(words, (int) (bit >>> 6), 1L << bit);
            }
        }

        boolean mightContain(String key) {
            long h = hash(key);
            long step = (h >>> 32) | 1;
            for (int i = 0; i < HASHES; i++) {
                long bit = (h + i * step) & mask;
                if (((long) WORDS.getVolatile(words, (int) (bit >>> 6)) & (1L << bit)) == 0) {
                    return false;
                }
            }
            return true;
        }

        long sizeInBits() {
            return mask + 1;
        }

        /** FNV-1a over the characters, then MurmurHash3's finalizer to spread the bits. */
        private static long hash(String key) {
            long h = 0xcbf29ce484222325L;
            for (int i = 0; i < key.length(); i++) {
                h = (h ^ key.charAt(i)) * 0x100000001b3L;
            }
            h ^= h >>> 33;
            h *= 0xff51afd7ed558ccdL;
            h ^= h >>> 33;
            h *= 0xc4ceb9fe1a85ec53L;
            return h ^ (h >>> 33);
        }
    }
}
