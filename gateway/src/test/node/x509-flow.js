// A device on the official Azure IoT Node SDK with an X.509 certificate, unmodified, driven by NodeSdkIT: it
// provisions over the given transport with its certificate alone (TLS client authentication, no token), then
// connects to its hub with the same certificate and sends one telemetry message.
// usage: node x509-flow.js http|mqtt|mqttws|amqp|amqpws PROVISIONING_HOST ID_SCOPE REGISTRATION_ID CERT_PEM KEY_PEM
'use strict';
const fs = require('fs');
const { ProvisioningDeviceClient } = require('azure-iot-provisioning-device');
const { X509Security } = require('azure-iot-security-x509');
const { Client, Message } = require('azure-iot-device');
const { provisioningTransport, hubTransport } = require('./transports');
const { report, fail, failAfter60s } = require('./steps');

const [transportName, host, idScope, registrationId, certFile, keyFile] = process.argv.slice(2);
const certificate = { cert: fs.readFileSync(certFile).toString(), key: fs.readFileSync(keyFile).toString() };
failAfter60s();

const Transport = provisioningTransport(transportName);
const provisioning = ProvisioningDeviceClient.create(host, idScope, new Transport(),
  new X509Security(registrationId, certificate));
provisioning.register((err, result) => {
  if (err) return fail('register', err);
  report('registered', { result });
  const device = Client.fromConnectionString(
    `HostName=${result.assignedHub};DeviceId=${result.deviceId};x509=true`, hubTransport(transportName));
  device.setOptions(certificate);
  device.open((openErr) => {
    if (openErr) return fail('open', openErr);
    device.sendEvent(new Message(JSON.stringify({ attestation: 'x509' })), (sendErr) => {
      if (sendErr) return fail('telemetry', sendErr);
      report('telemetry');
      device.close(() => { report('done'); process.exit(0); });
    });
  });
});
