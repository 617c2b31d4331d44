package io.onramp.bench.x509;

import io.onramp.bench.x509.DeviceFactory.Device;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * One client TLS context for all devices: BoringSSL asks for the client certificate of each
 * connection by its engine, and gets the device that connection was opened for. Netty converts
 * the key to BoringSSL's form at each handshake (tens of microseconds, charged to the client).
 */
final class DeviceKeys extends X509ExtendedKeyManager {

    private final Map<SSLEngine, Device> byEngine = new ConcurrentHashMap<>();
    private final Map<String, Device> byAlias = new ConcurrentHashMap<>();

    void bind(SSLEngine engine, Device device) {
        byEngine.put(engine, device);
        byAlias.put(device.registrationId(), device);
    }

    void unbind(SSLEngine engine) {
        Device device = byEngine.remove(engine);
        if (device != null) {
            byAlias.remove(device.registrationId());
        }
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        Device device = byEngine.get(engine);
        return device == null ? null : device.registrationId();
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Device device = byAlias.get(alias);
        return device == null ? null : device.chain();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Device device = byAlias.get(alias);
        return device == null ? null : device.key();
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return new String[0];
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return new String[0];
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
