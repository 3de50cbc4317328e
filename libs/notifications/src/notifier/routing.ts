import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { ColdchainConfig } from '@coldchain/config';
import { DEMO_TENANT } from '@coldchain/metadata-store';
import {
  routingDirectoryFrom,
  type RoutingDirectory,
  type RoutingFile,
} from '../routing/routing-directory.js';

/**
 * The routing directory the config names: NOTIFY_ROUTING_FILE (YAML or JSON,
 * schema in @coldchain/notifications `routingFileSchema`), or, without one,
 * the demo tenant's single on-call contact (DEMO_ONCALL_EMAIL and, when set,
 * DEMO_ONCALL_PHONE). Escalation delays come from NOTIFY_* unless a tenant
 * sets its own. Throws InvalidInputError naming what is wrong in the file.
 */
export function loadRoutingDirectory(config: ColdchainConfig): RoutingDirectory {
  const defaults = {
    voiceAfterUnackedMs: config.NOTIFY_VOICE_AFTER_MS,
    nextPersonAfterUnackedMs: config.NOTIFY_NEXT_PERSON_AFTER_MS,
  };
  if (config.NOTIFY_ROUTING_FILE)
    return routingDirectoryFrom(
      parseYaml(readFileSync(config.NOTIFY_ROUTING_FILE, 'utf8')) as unknown,
      defaults,
    );
  const demo: RoutingFile = {
    tenants: {
      [DEMO_TENANT.id]: {
        contacts: [
          {
            id: 'oncall',
            name: 'On-call',
            email: config.DEMO_ONCALL_EMAIL,
            ...(config.DEMO_ONCALL_PHONE ? { phone: config.DEMO_ONCALL_PHONE } : {}),
            timeZone: 'UTC',
          },
        ],
        defaultContacts: ['oncall'],
      },
    },
  };
  return routingDirectoryFrom(demo, defaults);
}
