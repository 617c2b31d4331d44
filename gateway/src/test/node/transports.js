// The Node SDK's transports by the names NodeSdkIT passes: provisioning over each, and the hub after it over the same
// family (AMQP after AMQP, MQTT after HTTP and MQTT), over WebSockets when the device provisioned over a WebSocket,
// as a device that can reach only 443 would.
'use strict';
const provisioning = {
  http: () => require('azure-iot-provisioning-device-http').Http,
  mqtt: () => require('azure-iot-provisioning-device-mqtt').Mqtt,
  mqttws: () => require('azure-iot-provisioning-device-mqtt').MqttWs,
  amqp: () => require('azure-iot-provisioning-device-amqp').Amqp,
  amqpws: () => require('azure-iot-provisioning-device-amqp').AmqpWs,
};

exports.provisioningTransport = (name) => {
  if (!provisioning[name]) {
    console.log(JSON.stringify({ step: 'error', during: 'arguments', message: `no transport ${name}` }));
    process.exit(2);
  }
  return provisioning[name]();
};

exports.hubTransport = (name) => {
  if (name.startsWith('amqp')) {
    const amqp = require('azure-iot-device-amqp');
    return name.endsWith('ws') ? amqp.AmqpWs : amqp.Amqp;
  }
  const mqtt = require('azure-iot-device-mqtt');
  return name.endsWith('ws') ? mqtt.MqttWs : mqtt.Mqtt;
};
