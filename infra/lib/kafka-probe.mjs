// Readiness probe for infra/up.sh: exits 0 when a kafkajs admin client (the
// client the apps use) can connect to KAFKA_BROKERS and list topics.
import kafkajs from 'kafkajs';

const { Kafka, logLevel } = kafkajs;
const kafka = new Kafka({
  clientId: 'coldchain-infra-probe',
  brokers: (process.env.KAFKA_BROKERS ?? '127.0.0.1:9092').split(','),
  logLevel: logLevel.NOTHING,
  connectionTimeout: 3000,
  retry: { retries: 2, initialRetryTime: 200 },
});
const admin = kafka.admin();
try {
  await admin.connect();
  await admin.listTopics();
  await admin.disconnect();
  process.exit(0);
} catch (error) {
  process.stderr.write(`kafka probe: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
