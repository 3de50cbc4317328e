import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { join } from 'node:path';
import { writePrivateFile, type ColdchainConfig, CLOCK, CONFIG } from '@coldchain/config';
import type { Clock } from '@coldchain/domain';
import { ensurePlatformAdmin } from '@coldchain/identity';
import {
  type MetadataDatabase,
  METADATA_DATABASE,
  type UserRepository,
  USER_REPOSITORY,
} from '@coldchain/metadata-store';

/** File in DATA_DIR holding a newly created platform admin's temporary password (mode 0600). */
export const PLATFORM_ADMIN_CREDENTIALS_FILE = 'platform-admin-credentials.json';

/**
 * Creates the platform admin named by PLATFORM_ADMIN_EMAIL when it does not
 * exist yet, before the API serves: its temporary password goes to
 * DATA_DIR/platform-admin-credentials.json (mode 0600, never to the log) and
 * must be changed at first login. An existing admin is left alone (its
 * password is never reset from here). Unset: nothing.
 */
@Injectable()
export class PlatformAdminBootstrap implements OnModuleInit {
  private readonly logger = new Logger('Api');

  constructor(
    @Inject(CONFIG) private readonly config: ColdchainConfig,
    @Inject(METADATA_DATABASE) private readonly database: MetadataDatabase,
    @Inject(USER_REPOSITORY) private readonly users: UserRepository,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    const email = this.config.PLATFORM_ADMIN_EMAIL;
    if (email === undefined) return;
    const outcome = await ensurePlatformAdmin(
      { database: this.database, users: this.users },
      email,
      this.clock,
    );
    if (!outcome.created) return;
    const file = join(this.config.DATA_DIR, PLATFORM_ADMIN_CREDENTIALS_FILE);
    writePrivateFile(
      file,
      JSON.stringify({ email: email.toLowerCase(), temporaryPassword: outcome.temporaryPassword }, null, 2) +
        '\n',
    );
    this.logger.log(
      `platform admin ${email} created; temporary password in ${file} (to be changed at first login)`,
    );
  }
}
