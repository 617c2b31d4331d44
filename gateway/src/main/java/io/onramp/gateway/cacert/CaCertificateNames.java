package io.onramp.gateway.cacert;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Names of CA certificates (dps-service-api §11.1): what {@code caReferences} of an enrollment
 * group hold. Letters, digits and {@code - . _}, starting and ending with a letter or digit;
 * compared without regard to case, like the other ids of the service.
 */
public final class CaCertificateNames {

    public static final String RULE = "must be 1 to 64 letters, digits, '-', '.' or '_', starting and ending with a letter or digit";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9._-]{0,62}[A-Za-z0-9])?");

    private CaCertificateNames() {}

    public static boolean valid(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** The storage key: names are case-insensitive. */
    public static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
