package io.onramp.broker.hub;

/** A hub this broker hosts: its host name (as devices address it) and its {@code iothubowner} key. */
public record HostedHub(String hostName, byte[] ownerKey) {}
