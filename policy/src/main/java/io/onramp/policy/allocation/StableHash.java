package io.onramp.policy.allocation;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A 64-bit string hash that is fixed by this code alone: FNV-1a over UTF-8 bytes, finalised with
 * murmur3's fmix64. Hub assignments are persisted and must come out the same on every node and
 * every JVM version, so neither {@code String.hashCode} nor iteration order may feed into it.
 * FNV-1a alone mixes trailing bytes poorly ("device-1" vs "device-2"); fmix64 spreads them.
 */
final class StableHash {

    static final long START = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private StableHash() {
    }

    static long addByte(long state, int b) {
        return (state ^ (b & 0xff)) * FNV_PRIME;
    }

    /** Feeds the UTF-8 bytes of {@code s.toLowerCase(Locale.ROOT)}, without allocating for ASCII input. */
    static long addLowerCase(long state, String s) {
        int length = s.length();
        for (int i = 0; i < length; i++) {
            if (s.charAt(i) >= 0x80) {
                return addBytes(state, s.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            }
        }
        long h = state;
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                c += 'a' - 'A';
            }
            h = (h ^ c) * FNV_PRIME;
        }
        return h;
    }

    private static long addBytes(long state, byte[] bytes) {
        long h = state;
        for (byte b : bytes) {
            h = addByte(h, b);
        }
        return h;
    }

    /** murmur3 fmix64: a bijective avalanche step. */
    static long finish(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    /** Maps a hash to (0, 1), both ends excluded, using its top 52 bits. */
    static double toOpenUnitInterval(long h) {
        // (k + 0.5) / 2^52 for k in [0, 2^52) is exact in a double and never reaches 0 or 1.
        return ((h >>> 12) + 0.5) * 0x1.0p-52;
    }
}
