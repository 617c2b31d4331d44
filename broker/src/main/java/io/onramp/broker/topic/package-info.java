/**
 * Plain-JDK codecs for the embedded hub's MQTT dialect (hub-device-protocol.md §3): the CONNECT user
 * name, what a device's PUBLISH topic and SUBSCRIBE filter ask for, telemetry property bags, and the
 * topics the hub publishes back. No I/O and no Vert.x types: everything here is a pure function of its
 * arguments, safe to call from any thread.
 *
 * <p>Device input is untrusted: parsers never throw on it (except {@link io.onramp.broker.topic.PropertyBag#parse}
 * as documented), compare identities exactly, and never let a topic name another identity.
 */
package io.onramp.broker.topic;
