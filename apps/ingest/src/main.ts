import { bootstrapApp, runMain } from '@coldchain/runtime';
import { IngestModule } from '@coldchain/ingestion';

/** The bus consumer as its own process (production stack); run N of them to split the partitions. */
runMain(() => bootstrapApp('Ingest', [IngestModule]));
