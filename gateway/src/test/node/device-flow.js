// A device on the official Azure IoT Node SDK, unmodified, driven by NodeSdkIT: it provisions over HTTPS, MQTT,
// MQTT over WebSockets, AMQP or AMQP over WebSockets, then works on its hub over MQTT, or over MQTT over WebSockets
// when it provisioned over a WebSocket (a device that can reach only 443): twin, reported properties, telemetry, a
// direct method, a cloud-to-device message.
// One JSON line per step on stdout; the test answers "listening" by invoking the method and sending the message.
// usage: node device-flow.js http|mqtt|mqttws|amqp|amqpws PROVISIONING_HOST ID_SCOPE REGISTRATION_ID DEVICE_KEY
'use strict';
const { ProvisioningDeviceClient } = require('azure-iot-provisioning-device');
const { SymmetricKeySecurityClient } = require('azure-iot-security-symmetric-key');
const { Client, Message } = require('azure-iot-device');
const { provisioningTransport, hubTransport } = require('./transports');
const { report, fail, failAfter60s } = require('./steps');

const [transportName, host, idScope, registrationId, deviceKey] = process.argv.slice(2);
const Transport = provisioningTransport(transportName);
const DeviceTransport = hubTransport(transportName);

failAfter60s();

const provisioning = ProvisioningDeviceClient.create(host, idScope, new Transport(),
  new SymmetricKeySecurityClient(registrationId, deviceKey));
provisioning.setProvisioningPayload({ firmware: '1.2.3' });
provisioning.register((err, result) => {
  if (err) return fail('register', err);
  report('registered', { result });
  const device = Client.fromConnectionString(
    `HostName=${result.assignedHub};DeviceId=${result.deviceId};SharedAccessKey=${deviceKey}`, DeviceTransport);
  const seen = new Set();
  const finish = (what) => {
    seen.add(what);
    if (seen.has('method') && seen.has('c2d')) {
      device.close(() => { report('done'); process.exit(0); });
    }
  };
  device.onDeviceMethod('reboot', (request, response) => {
    response.send(200, { rebooting: true, delay: request.payload.delay }, (sendErr) => {
      if (sendErr) return fail('method response', sendErr);
      report('method', { payload: request.payload });
      finish('method');
    });
  });
  device.on('message', (message) => {
    device.complete(message, (completeErr) => {
      if (completeErr) return fail('c2d complete', completeErr);
      report('c2d', { body: message.data.toString(), messageId: message.messageId,
        valve: message.properties.getValue('valve') });
      finish('c2d');
    });
  });
  device.open((openErr) => {
    if (openErr) return fail('open', openErr);
    device.getTwin((twinErr, twin) => {
      if (twinErr) return fail('get twin', twinErr);
      report('twin', { desired: twin.properties.desired });
      twin.properties.reported.update({ runtime: 'node' }, (updateErr) => {
        if (updateErr) return fail('reported update', updateErr);
        report('reported');
        const message = new Message(JSON.stringify({ temperature: 22.5 }));
        message.properties.add('color', 'blue');
        device.sendEvent(message, (sendErr) => {
          if (sendErr) return fail('telemetry', sendErr);
          report('telemetry');
          report('listening');
        });
      });
    });
  });
});
