package dev.radiograph.emit;

/**
 * Counters of an emitter since it started.
 *
 * @param sent documents handed to the network
 * @param dropped documents dropped because the send queue was full or the emitter closed
 * @param failed documents that could not be sent (unresolvable host, socket error)
 * @param bytesSent bytes of datagrams sent, headers included
 */
public record EmitterStats(long sent, long dropped, long failed, long bytesSent) {}
