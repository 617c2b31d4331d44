package io.onramp.gateway.mqtt;

import io.onramp.certs.text.PercentCodec;
import java.util.Optional;

/**
 * The CONNECT user name of a provisioning client:
 * {@code {idScope}/registrations/{registrationId}/api-version={v}&ClientVersion={cv}} (dps-device-protocol.md 7.1).
 * Further query keys are ignored; {@code api-version} may be missing (then null).
 */
public record DpsUserName(String idScope, String registrationId, String apiVersion) {

    private static final String MIDDLE = "/registrations/";

    /** True when the user name is addressed to the provisioning service of {@code idScope}. */
    public static boolean isFor(String userName, String idScope) {
        return userName != null && userName.regionMatches(true, 0, idScope, 0, idScope.length())
                && userName.startsWith(MIDDLE, idScope.length());
    }

    public static Optional<DpsUserName> parse(String userName) {
        int middle = userName.indexOf(MIDDLE);
        if (middle <= 0) {
            return Optional.empty();
        }
        int idStart = middle + MIDDLE.length();
        int idEnd = userName.indexOf('/', idStart);
        if (idEnd <= idStart) {
            return Optional.empty();
        }
        String apiVersion = null;
        for (String param : userName.substring(idEnd + 1).split("&")) {
            if (param.startsWith("api-version=")) {
                try {
                    apiVersion = PercentCodec.decode(param.substring("api-version=".length()));
                } catch (IllegalArgumentException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(new DpsUserName(userName.substring(0, middle), userName.substring(idStart, idEnd), apiVersion));
    }
}
