package io.onramp.certs.tpm;

import java.io.ByteArrayOutputStream;

/** Marshals TPM wire structures: big-endian integers and TPM2B (UINT16 size, then the bytes). */
final class TpmWriter {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    TpmWriter u16(int value) {
        if (value < 0 || value > 0xFFFF) {
            throw new IllegalArgumentException("not a UINT16: " + value);
        }
        out.write(value >>> 8);
        out.write(value);
        return this;
    }

    TpmWriter u32(int value) {
        out.write(value >>> 24);
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
        return this;
    }

    TpmWriter bytes(byte[] value) {
        out.writeBytes(value);
        return this;
    }

    TpmWriter tpm2b(byte[] value) {
        return u16(value.length).bytes(value);
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    /** TPM2B(value) as a new array. */
    static byte[] sized(byte[] value) {
        return new TpmWriter().tpm2b(value).toByteArray();
    }
}
