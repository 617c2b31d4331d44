package io.onramp.gateway.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.onramp.policy.enrollment.Attestation;
import io.onramp.policy.enrollment.SymmetricKeyAttestation;
import io.onramp.policy.enrollment.TpmAttestation;
import io.onramp.policy.enrollment.X509Attestation;

/**
 * The round-trip rule of spec §4.9: reads strip keys and certificates, and SDKs send back what they
 * read, so on a replace of the same attestation type every secret the body leaves out is taken from
 * the stored enrollment. New values always win; a slot the body drops stays dropped; a change of
 * type needs full material.
 */
final class SecretCarryOver {

    private SecretCarryOver() {}

    static void apply(ObjectNode body, Attestation stored) {
        if (!(body.get("attestation") instanceof ObjectNode attestation)
                || !stored.type().equals(attestation.path("type").asText(null))) {
            return;
        }
        if (stored instanceof SymmetricKeyAttestation keys) {
            ObjectNode symmetricKey = child(attestation, "symmetricKey", true);
            fillIfAbsent(symmetricKey, "primaryKey", keys.primaryKey());
            fillIfAbsent(symmetricKey, "secondaryKey", keys.secondaryKey());
        } else if (stored instanceof X509Attestation x509 && x509.kind().holdsCertificates()) {
            ObjectNode members = child(attestation, "x509", false);
            ObjectNode slots = members == null ? null : child(members, x509.kind().wireName(), false);
            if (slots != null) {
                if (slots.get("primary") instanceof ObjectNode primary) {
                    fillIfAbsent(primary, "certificate", x509.primary());
                }
                if (slots.get("secondary") instanceof ObjectNode secondary) {
                    fillIfAbsent(secondary, "certificate", x509.secondary());
                }
            }
        } else if (stored instanceof TpmAttestation tpm) {
            ObjectNode keys = child(attestation, "tpm", true);
            fillIfAbsent(keys, "endorsementKey", tpm.endorsementKey());
        }
    }

    private static ObjectNode child(ObjectNode parent, String name, boolean create) {
        JsonNode node = parent.get(name);
        if (node instanceof ObjectNode object) {
            return object;
        }
        return create && (node == null || node.isNull()) ? parent.putObject(name) : null;
    }

    /** {@code node} null: the body's member is no object, which the enrollment's reader refuses with its name. */
    private static void fillIfAbsent(ObjectNode node, String field, String stored) {
        if (node == null) {
            return;
        }
        JsonNode value = node.get(field);
        boolean absent = value == null || value.isNull() || (value.isTextual() && value.textValue().isEmpty());
        if (absent && stored != null) {
            node.put(field, stored);
        }
    }
}
