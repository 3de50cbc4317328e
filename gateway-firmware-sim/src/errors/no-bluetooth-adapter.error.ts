import { SimError } from './sim.error.js';

/**
 * BLE mode cannot scan: no adapter (noble throws EAFNOSUPPORT at load time
 * on a machine without Bluetooth), no permission for raw HCI sockets, noble
 * not installed, or the adapter never powered on. Not retriable as is.
 */
export class NoBluetoothAdapterError extends SimError {
  constructor(message: string, cause?: unknown) {
    super(message, { code: 'no_bluetooth_adapter', retriable: false, cause });
  }
}
