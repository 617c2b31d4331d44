package io.onramp.certs.tpm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Properties;

/** The committed fixtures of {@code src/test/resources/tpm} (see the README there) and SDK-captured keys. */
final class TpmFixtures {

    /** EK and SRK the Java SDK's TPM provider 2.0.1 sent from swtpm (spec captures, dps-tpm-java.txt). */
    static final String JAVA_SDK_EK = "AToAAQALAAMAsgAgg3GXZ0SEs/gakMyNRqXXJP1S124GUgtk8qHaGzMUaaoABgCAAEMAEAgAAAAAAAEAp0O6"
            + "y3Ti3XZ93Ep066S4GfhPi4x1yWkg18780PPYXzLaHBoaQMV/eK8B/+C2aU4x9pWMZI2TZ7o40nHtW5zXkOfT3iWP5t4i9OubjlA6YAZ6zcP"
            + "BhYNOqXt7SmibFlhpYx+wEj5+TNKC0bsrGi4KtUqJvuB5BEs3nqDpylwbvr2+oG+8YnOliaKcbn8R01qZ0dhQLv2xQqyzW/3cUPUIweUp6h"
            + "g4/R6qKBksTXBLZvHNVBXCLjUnaEPkgg7K9amI9gwJUOgDZlEsNPJyErnABmaN3V5/XPGyyGKKXpg8YjQ/OiqkatlBooEl4g+dcevn7SY6x"
            + "keJ6K8Zn26+agrFAw==";
    static final String JAVA_SDK_SRK = "ARoAAQALAAMEcgAAAAYAgABDABAIAAAAAAABAKcBh9xmVvhwHPmG2/rmk9LRBJ7gVYrDdPXiopP/YJh"
            + "I/bSM/c9LYMRefnsgElkArQDLtjY4as2w/XxKs//BVFV4ChxiCJy2vyFJWqgEUHw3i1r3mwJTXVJPqzk3ejlswUjGQWa3Kh+mHhNmiXm9Lj4L"
            + "HfZJXUZu7RCaxqH2lHR1WklUvl5cEAcI0gZ7FJhnlnsuyPjW3xuBvAXdVVByaq4hTv3ux9WnFg0WzhFxmC9hhL64C8fPVxmQNWSREmVGMDHI"
            + "rYA4raSwptQpwmH6T+oDCfD+ivt05m+wtL9y3Ogh1JJvr6AjqAIL/tudFSQ2zM7tMw4CLshv5C2ZQKBTcs0=";

    private static final Properties EXPECTED = load();

    private TpmFixtures() {
    }

    /** A binary fixture, e.g. {@code "ek-rsa.pub"}. */
    static byte[] bytes(String name) {
        try (InputStream in = TpmFixtures.class.getResourceAsStream("/tpm/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no test resource tpm/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String expected(String key) {
        String value = EXPECTED.getProperty(key);
        if (value == null) {
            throw new IllegalStateException("no " + key + " in tpm/expected.properties");
        }
        return value;
    }

    static byte[] expectedHex(String key) {
        return HexFormat.of().parseHex(expected(key));
    }

    static byte[] base64(String value) {
        return Base64.getDecoder().decode(value);
    }

    private static Properties load() {
        Properties properties = new Properties();
        try (InputStream in = TpmFixtures.class.getResourceAsStream("/tpm/expected.properties")) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
