package dev.radiograph.emit;

/**
 * Counters of an emitter since it started.
 *
 * @param sent documents handed to the network
 * @param droppedQueueFull documents dropped because the send queue was full
 * @param failed documents that could not be sent (unresolvable host, socket error)
 * @param bytesSent bytes of datagrams sent, headers included
 */
public record EmitterStats(long sent, long droppedQueueFull, long failed, long bytesSent) {}
