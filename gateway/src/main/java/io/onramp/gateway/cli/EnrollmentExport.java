package io.onramp.gateway.cli;

import io.onramp.gateway.config.GatewayConfig;
import io.onramp.gateway.store.OwnerOnly;
import io.vertx.core.http.HttpMethod;
import java.io.BufferedWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code onramp enrollments export FILE}: the gateway's enrollments and groups, as a file that imports them again. */
final class EnrollmentExport {

    private final Console console;

    EnrollmentExport(Console console) {
        this.console = console;
    }

    /**
     * Groups, then individual enrollments, with their keys: the file is mode 600, and an existing one is replaced
     * only with --force ({@link #refuseToReplace}). The config file's enrollments are left out
     * and counted: they come back from the file, and the API would refuse to import them (409).
     */
    int run(ServiceApiClient api, Path file, GatewayConfig config) throws Exception {
        boolean csv = EnrollmentRows.isCsv(file.toString());
        java.util.Set<String> fromConfig = new java.util.HashSet<>();
        config.enrollmentGroups().forEach(g -> fromConfig.add(key(EnrollmentsCommand.GROUPS, g.enrollmentGroupId())));
        config.individualEnrollments().forEach(e -> fromConfig.add(key(EnrollmentsCommand.INDIVIDUALS, e.registrationId())));
        long[] written = {0};
        long[] configOwned = {0};
        long[] withoutCertificates = {0};
        Map<String, Long> leftOut = new java.util.TreeMap<>();
        try (BufferedWriter out = OwnerOnly.newWriter(file)) {
            if (csv) {
                out.write(EnrollmentRows.CSV_HEADER + "\n");
            }
            for (String collection : List.of(EnrollmentsCommand.GROUPS, EnrollmentsCommand.INDIVIDUALS)) {
                EnrollmentsCommand.forEachPage(api, collection, e -> {
                    if (fromConfig.contains(key(collection, EnrollmentsCommand.id(e)))) {
                        configOwned[0]++;
                        return;
                    }
                    try {
                        // Reads strip keys; the attestation-mechanism read puts them back, so an import restores them.
                        String mechanism = EnrollmentsCommand.path(collection, EnrollmentsCommand.id(e)) + "/attestationmechanism";
                        e.put("attestation", EnrollmentsCommand.await(api.send(HttpMethod.POST, mechanism, null, Map.of())).json());
                        String row = EnrollmentRows.format(e, csv);
                        if (row == null) {
                            leftOut.merge(EnrollmentRows.csvCannotHold(e), 1L, Long::sum);
                        } else {
                            out.write(row + "\n");
                            written[0]++;
                            if (EnrollmentRows.hasCertificates(e)) {
                                withoutCertificates[0]++;
                            }
                        }
                    } catch (Exception ex) {
                        throw new IllegalStateException(ex);
                    }
                });
            }
        }
        console.println("exported " + written[0] + " enrollment(s) and group(s) to " + file);
        leftOut.forEach((why, count) -> console.println("left out " + count + " enrollment(s) a CSV row cannot hold ("
                + why + "); export to a .jsonl file to keep every member"));
        if (configOwned[0] > 0) {
            console.println("left out " + configOwned[0] + " enrollment(s) of the config file: the gateway loads them from it");
        }
        if (withoutCertificates[0] > 0) {
            console.println(withoutCertificates[0] + " X.509 enrollment(s) exported without their certificates (the API"
                    + " never returns them): they re-import only where they still exist (--mode update)");
        }
        return 0;
    }

    /** Before anything is read: an existing file may be another export, or something else the user keeps. */
    static void refuseToReplace(Arguments args, Path file) {
        CertsCommand.requireNew(args, List.of(file), "FILE", "");
    }

    /** IDs are case-insensitive. */
    private static String key(String collection, String id) {
        return collection + "/" + id.toLowerCase(Locale.ROOT);
    }
}
