package io.onramp.gateway.cacert;

import io.onramp.certs.pem.PemWriter;
import io.onramp.gateway.enrollment.EnrollmentCertificates;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * CA certificates on the wire, in the shape of ARM's {@code CertificateResponse} (dps-service-api
 * §11.1) so that scripts written against Azure port: {@code name}, {@code etag} and
 * {@code properties} with RFC 1123 dates and the SHA-1 thumbprint.
 */
public final class CaCertificateJson {

    private static final DateTimeFormatter RFC_1123 = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
    static final String TYPE = "Microsoft.Devices/ProvisioningServices/Certificates";

    private CaCertificateJson() {}

    /** One certificate; the verification code only where asked for (the generate-code answer). */
    public static JsonObject write(CaCertificate ca, boolean withCode) {
        JsonObject info = EnrollmentCertificates.info(ca.certificate());
        JsonObject properties = new JsonObject()
                .put("subject", info.getString("subjectName"))
                .put("expiry", rfc1123(ca.certificate().getNotAfter().toInstant()))
                .put("thumbprint", info.getString("sha1Thumbprint"))
                .put("isVerified", ca.verified())
                .put("created", rfc1123(ca.created()))
                .put("updated", rfc1123(ca.updated()))
                .put("certificate", PemWriter.toPem(ca.certificate()));
        if (withCode) {
            properties.put("verificationCode", ca.verificationCode());
        }
        return new JsonObject()
                .put("name", ca.name())
                .put("etag", ca.etag())
                .put("type", TYPE)
                .put("properties", properties);
    }

    /** The list answer, {@code {"value": [...]}} as ARM lists. */
    public static JsonObject list(List<CaCertificate> all) {
        JsonArray value = new JsonArray();
        all.forEach(ca -> value.add(write(ca, false)));
        return new JsonObject().put("value", value);
    }

    static String rfc1123(Instant instant) {
        return RFC_1123.format(instant);
    }
}
