import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { ColdchainConfig } from '@coldchain/config';
import {
  routingDirectoryFrom,
  type RoutingDirectory,
  type RoutingFile,
} from '../routing/routing-directory.js';

/**
 * The routing directory the config names: NOTIFY_ROUTING_FILE (YAML or JSON,
 * schema in @coldchain/notifications `routingFileSchema`), or, without one,
 * `fallback` (the composition's default routing; none: no tenant has
 * contacts). Escalation delays come from NOTIFY_* unless a tenant sets its
 * own. Throws InvalidInputError naming what is wrong in the file.
 */
export function loadRoutingDirectory(
  config: ColdchainConfig,
  fallback: RoutingFile = { tenants: {} },
): RoutingDirectory {
  const defaults = {
    voiceAfterUnackedMs: config.NOTIFY_VOICE_AFTER_MS,
    nextPersonAfterUnackedMs: config.NOTIFY_NEXT_PERSON_AFTER_MS,
  };
  if (config.NOTIFY_ROUTING_FILE)
    return routingDirectoryFrom(
      parseYaml(readFileSync(config.NOTIFY_ROUTING_FILE, 'utf8')) as unknown,
      defaults,
    );
  return routingDirectoryFrom(fallback, defaults);
}
