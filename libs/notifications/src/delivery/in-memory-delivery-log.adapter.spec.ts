import { deliveryLogContract } from '../../../../test/contracts/delivery-log.contract.js';
import { InMemoryDeliveryLog } from './in-memory-delivery-log.adapter.js';

deliveryLogContract('in-memory', () => new InMemoryDeliveryLog());
