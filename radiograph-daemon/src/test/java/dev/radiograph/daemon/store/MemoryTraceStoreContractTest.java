package dev.radiograph.daemon.store;

/** The memory store keeps the store contract. */
class MemoryTraceStoreContractTest extends TraceStoreContract {
  @Override
  protected TraceStore newStore(int maxTraces, long maxBytes, int maxTraceDocuments) {
    return new MemoryTraceStore(maxTraces, maxBytes, maxTraceDocuments);
  }
}
