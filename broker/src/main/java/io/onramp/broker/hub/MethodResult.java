package io.onramp.broker.hub;

/** A device's answer to a direct method: its status and JSON payload text ("null" when it sent none). */
public record MethodResult(int status, String payloadJson) {}
