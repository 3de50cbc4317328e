import { Logger, type Provider } from '@nestjs/common';
import { readOrCreateSecretFile, SECRET_FILES, type ColdchainConfig, CONFIG } from '@coldchain/config';
import { ReportSigner } from '@coldchain/reporting';

/**
 * The report signing key: REPORT_SIGNING_KEY, or one generated once into
 * DATA_DIR/report-signing-key (mode 0600) like JWT_SECRET. Several API
 * processes serving reports must share it: set it explicitly there.
 */
export const REPORT_SIGNER_PROVIDER: Provider = {
  provide: ReportSigner,
  inject: [CONFIG],
  useFactory: (config: ColdchainConfig): ReportSigner => {
    if (config.REPORT_SIGNING_KEY) return new ReportSigner(config.REPORT_SIGNING_KEY);
    const { secret, file, generated } = readOrCreateSecretFile(
      config.DATA_DIR,
      SECRET_FILES.REPORT_SIGNING_KEY,
      'REPORT_SIGNING_KEY',
    );
    if (generated) new Logger('Api').log(`REPORT_SIGNING_KEY unset: generated ${file}`);
    return new ReportSigner(secret);
  },
};
