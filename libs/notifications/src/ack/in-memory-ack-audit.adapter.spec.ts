import { ackAuditContract } from '../../../../test/contracts/ack-audit.contract.js';
import { InMemoryAckAuditLog } from './in-memory-ack-audit.adapter.js';

ackAuditContract('in-memory', () => new InMemoryAckAuditLog());
