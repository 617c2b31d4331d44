package io.onramp.certs.tpm;

import java.util.Arrays;

/** Reads TPM wire structures (big-endian integers, TPM2B size-prefixed buffers) and refuses to read past the end. */
final class TpmReader {

    private final byte[] bytes;
    private final String what;
    private int position;

    /** @param what names the structure in error messages, e.g. "TPM2B_PUBLIC" */
    TpmReader(byte[] bytes, String what) {
        this.bytes = bytes;
        this.what = what;
    }

    int u16(String field) throws TpmFormatException {
        need(2, field);
        int value = ((bytes[position] & 0xFF) << 8) | (bytes[position + 1] & 0xFF);
        position += 2;
        return value;
    }

    int u32(String field) throws TpmFormatException {
        int high = u16(field);
        return (high << 16) | u16(field);
    }

    /** A UINT16 size, then that many bytes. */
    byte[] tpm2b(String field) throws TpmFormatException {
        return take(u16(field + " size"), field);
    }

    byte[] take(int length, String field) throws TpmFormatException {
        need(length, field);
        byte[] value = Arrays.copyOfRange(bytes, position, position + length);
        position += length;
        return value;
    }

    int position() {
        return position;
    }

    int remaining() {
        return bytes.length - position;
    }

    void requireEnd() throws TpmFormatException {
        if (remaining() != 0) {
            throw new TpmFormatException(what + " has " + remaining() + " trailing byte(s)");
        }
    }

    private void need(int length, String field) throws TpmFormatException {
        if (remaining() < length) {
            throw new TpmFormatException(what + " is truncated at " + field + " (offset " + position + ", needs "
                    + length + " byte(s), " + remaining() + " left)");
        }
    }
}
