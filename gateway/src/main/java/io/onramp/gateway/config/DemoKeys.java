package io.onramp.gateway.config;

import io.onramp.gateway.config.GatewayConfig.AccessPolicy;
import io.onramp.gateway.config.GatewayConfig.HubConfig;
import io.onramp.policy.enrollment.Enrollment;
import io.onramp.policy.enrollment.SymmetricKeyAttestation;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The keys shipped in conf/onramp.yaml are public: whoever has Onramp has them. A gateway started with one is
 * warned of, field by field, and loudly when it also listens beyond loopback (README: "Before production").
 * It still starts: the README's first command runs the shipped file as it is.
 */
public final class DemoKeys {

    /** Every key of conf/onramp.yaml; DemoKeysTest fails when the file's keys and this list part. */
    static final Set<String> SHIPPED = Set.of(
            "b25yYW1wLWRlbW8tcHJvdmlzaW9uaW5nLW93bmVyISE=", // accessPolicies provisioningserviceowner
            "b25yYW1wLWRlbW8taHViLWxpbmUtYS1vd25lci1rZXk=", // hubs line-a
            "b25yYW1wLWRlbW8taHViLWxpbmUtYi1vd25lci1rZXk=", // hubs line-b
            "b25yYW1wLWRlbW8tZ3JvdXAtc2Vuc29ycy1wcmltYXJ5", // enrollmentGroups sensors
            "b25yYW1wLWRlbW8tZ3JvdXAtc2Vuc29ycy1zZWNvbmQ=", // enrollmentGroups sensors
            "b25yYW1wLWRlbW8tZGV2aWNlLXByZXNzLTcta2V5ISE="); // individualEnrollments press-7

    static final String FIX = "replace it with a key of your own, e.g. the output of `openssl rand -base64 32`";

    private DemoKeys() {}

    /** The WARN lines to log at start: none when no configured key is a shipped one. Looks names up: off the event loop. */
    public static List<String> warnings(GatewayConfig config) {
        List<String> lines = new ArrayList<>();
        line(lines, accessPolicyFields(config), "anyone can sign service API tokens with it, with that policy's"
                + " rights (enrollments and their keys)");
        line(lines, hubFields(config), "anyone can sign the hub's iothubowner tokens with it (every device's key in"
                + " the hub's registry)");
        line(lines, enrollmentFields(config.enrollmentGroups(), "enrollmentGroups"), "anyone can derive the key of"
                + " any registration ID from it and provision devices of their own");
        line(lines, enrollmentFields(config.individualEnrollments(), "individualEnrollments"), "anyone can provision"
                + " as that device");
        List<String> open = config.listen().addresses().stream().filter(a -> !loopback(a)).toList();
        if (!lines.isEmpty() && !open.isEmpty()) {
            lines.add("INSECURE: listen.address " + String.join(", ", open) + " is reachable from the network and the"
                    + " public demo keys above are in use: anyone who can reach this gateway can use them. Replace them"
                    + " before devices rely on it, or set listen.address: 127.0.0.1 until then");
        }
        return lines;
    }

    private static void line(List<String> lines, List<String> fields, String risk) {
        if (!fields.isEmpty()) {
            lines.add("public demo key shipped in conf/onramp.yaml in " + String.join(", ", fields) + ": " + risk
                    + "; " + FIX);
        }
    }

    private static List<String> accessPolicyFields(GatewayConfig config) {
        List<String> fields = new ArrayList<>();
        for (int i = 0; i < config.accessPolicies().size(); i++) {
            AccessPolicy policy = config.accessPolicies().get(i);
            addIfShipped(fields, policy.primaryKey(), "accessPolicies[" + i + "].primaryKey");
            addIfShipped(fields, policy.secondaryKey(), "accessPolicies[" + i + "].secondaryKey");
        }
        return fields;
    }

    private static List<String> hubFields(GatewayConfig config) {
        List<String> fields = new ArrayList<>();
        for (int i = 0; i < config.hubs().size(); i++) {
            HubConfig hub = config.hubs().get(i);
            addIfShipped(fields, hub.ownerKey(), "hubs[" + i + "].ownerKey");
            addIfShipped(fields, hub.hosted() ? null : hub.remote().key(), "hubs[" + i + "].connectionString");
        }
        return fields;
    }

    private static List<String> enrollmentFields(List<? extends Enrollment> enrollments, String list) {
        List<String> fields = new ArrayList<>();
        for (int i = 0; i < enrollments.size(); i++) {
            if (enrollments.get(i).attestation() instanceof SymmetricKeyAttestation keys) {
                String prefix = list + "[" + i + "].attestation.symmetricKey.";
                addIfShipped(fields, keys.primaryKey(), prefix + "primaryKey");
                addIfShipped(fields, keys.secondaryKey(), prefix + "secondaryKey");
            }
        }
        return fields;
    }

    private static void addIfShipped(List<String> fields, String key, String field) {
        if (key != null && SHIPPED.contains(key)) {
            fields.add(field);
        }
    }

    /** 0.0.0.0 and :: are every address, not loopback; a host name is loopback when all its addresses are. */
    private static boolean loopback(String address) {
        try {
            InetAddress[] all = InetAddress.getAllByName(address);
            for (InetAddress one : all) {
                if (!one.isLoopbackAddress()) {
                    return false;
                }
            }
            return all.length > 0;
        } catch (UnknownHostException e) {
            return false; // the config check named it; counted as open, to err on the loud side
        }
    }
}
