/** DI token of the process's {@link MetadataStorePort}. */
export const METADATA_STORE = Symbol('coldchain.metadata-store');
/** DI token of the process's {@link MetadataCache} (the hot path's snapshot). */
export const METADATA_CACHE = Symbol('coldchain.metadata-cache');
