package io.onramp.gateway.support;

import com.microsoft.azure.sdk.iot.provisioning.security.exceptions.SecurityProviderException;
import com.microsoft.azure.sdk.iot.provisioning.security.hsm.SecurityProviderTPMHsm;
import io.onramp.certs.tpm.SwtpmDevice;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import javax.net.ssl.SSLContext;
import tss.Tpm;
import tss.TpmFactory;
import tss.tpm.TPML_HANDLE;
import tss.tpm.TPM_CAP;
import tss.tpm.TPM_HANDLE;
import tss.tpm.TPM_HT;
import tss.tpm.TPM_RH;
import tss.tpm.TPMT_PUBLIC;

/**
 * The official Java SDK's TPM provider ({@code tpm-provider} 2.0.1, {@link SecurityProviderTPMHsm}) on a swtpm
 * reached over TCP. Its constructors open only the platform TPM ({@code /dev/tpm*}), so the provider is allocated
 * without one and given what its constructor would have made: TSS.Java's {@code TpmFactory.remoteTpm} (which speaks
 * swtpm's TCP protocol) and the EK and SRK read by the provider's own {@code createPersistentPrimary} (which reuses
 * the keys {@link SwtpmDevice} persisted at the SDK's handles). Everything else — reading the keys, activating the
 * challenge, signing the SAS tokens — is the SDK's own code.
 */
public class SdkTpmProvider extends SecurityProviderTPMHsm {

    private SSLContext tls;

    /** Never run: instances come from {@link #connect}. */
    private SdkTpmProvider() throws SecurityProviderException {
        super();
    }

    @Override
    public SSLContext getSSLContext() {
        return tls;
    }

    /** The TSS.Java connection, e.g. to flush the policy sessions the provider leaves open. */
    public Tpm tpm() {
        return (Tpm) get("tpm");
    }

    /**
     * Flushes the sessions the provider leaves loaded: its {@code activateIdentityKey} starts a policy session and
     * never flushes it, so after two activations swtpm answers TPM_RC_SESSION_MEMORY. A device's reboot (TPM reset)
     * or a resource manager does the same.
     */
    public void flushSessions() {
        Tpm tpm = tpm();
        for (TPM_HT type : new TPM_HT[] {TPM_HT.HMAC_SESSION, TPM_HT.POLICY_SESSION}) {
            TPML_HANDLE loaded = (TPML_HANDLE) tpm.GetCapability(TPM_CAP.HANDLES, type.toInt() << 24, 16).capabilityData;
            for (TPM_HANDLE handle : loaded.handle) {
                tpm.FlushContext(handle);
            }
        }
    }

    public static SdkTpmProvider connect(SwtpmDevice device, String registrationId, SSLContext tls) throws Exception {
        Field unsafeField = Class.forName("sun.misc.Unsafe").getDeclaredField("theUnsafe");
        unsafeField.setAccessible(true);
        Object unsafe = unsafeField.get(null);
        SdkTpmProvider provider = (SdkTpmProvider) unsafe.getClass().getMethod("allocateInstance", Class.class)
                .invoke(unsafe, SdkTpmProvider.class);
        provider.tls = tls;
        Tpm tpm = TpmFactory.remoteTpm(device.swtpm().host(), device.swtpm().port());
        provider.set("tpm", tpm);
        provider.set("registrationId", registrationId);
        provider.set("ekPublic", provider.persistentPrimary(tpm, "EK_PERSISTENT_HANDLE", "EK_TEMPLATE", "EK"));
        provider.set("srkPublic", provider.persistentPrimary(tpm, "SRK_PERSISTENT_HANDLE", "SRK_TEMPLATE", "SRK"));
        return provider;
    }

    private TPMT_PUBLIC persistentPrimary(Tpm tpm, String handle, String template, String name) throws Exception {
        Method create = SecurityProviderTPMHsm.class.getDeclaredMethod("createPersistentPrimary", Tpm.class,
                TPM_HANDLE.class, TPM_RH.class, TPMT_PUBLIC.class, String.class);
        create.setAccessible(true);
        return (TPMT_PUBLIC) create.invoke(this, tpm, staticField(handle), TPM_RH.OWNER, staticField(template), name);
    }

    private static Object staticField(String name) throws Exception {
        Field field = SecurityProviderTPMHsm.class.getDeclaredField(name);
        field.setAccessible(true);
        return field.get(null);
    }

    private void set(String name, Object value) throws Exception {
        Field field = SecurityProviderTPMHsm.class.getDeclaredField(name);
        field.setAccessible(true);
        field.set(this, value);
    }

    private Object get(String name) {
        try {
            Field field = SecurityProviderTPMHsm.class.getDeclaredField(name);
            field.setAccessible(true);
            return field.get(this);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
