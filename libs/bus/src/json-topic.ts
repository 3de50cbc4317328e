import type { TopicSpec } from './bus.port.js';

/** A topic whose values travel as UTF-8 JSON. */
export function jsonTopic<T>(name: string): TopicSpec<T> {
  return {
    name,
    encode: (value) => Buffer.from(JSON.stringify(value)),
    decode: (bytes) => JSON.parse(bytes.toString('utf8')) as T,
  };
}
