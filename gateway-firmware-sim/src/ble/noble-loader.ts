import { NoBluetoothAdapterError } from '../errors/no-bluetooth-adapter.error.js';
import type { NobleLike } from './noble.types.js';

const HINT_NO_BLE =
  'Run on a Linux host with a Bluetooth LE adapter (hciconfig / btmgmt should list it), or drop --ble to simulate tags.';

/**
 * Loads @abandonware/noble on demand, only in BLE mode. Importing it opens
 * an HCI socket at once, so on a machine without Bluetooth the import itself
 * throws EAFNOSUPPORT ("Address family not supported by protocol"); that and
 * the other ways it fails become one NoBluetoothAdapterError with a message a
 * user can act on.
 */
export async function loadNoble(
  importer: () => Promise<unknown> = () => import('@abandonware/noble'),
): Promise<NobleLike> {
  try {
    const mod = (await importer()) as { default?: NobleLike } & NobleLike;
    return mod.default ?? mod;
  } catch (err) {
    throw explainNobleLoadError(err);
  }
}

/** Maps what importing noble throws to a NoBluetoothAdapterError that says what to do. */
export function explainNobleLoadError(err: unknown): NoBluetoothAdapterError {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'EAFNOSUPPORT':
      return new NoBluetoothAdapterError(
        `BLE mode: no Bluetooth adapter on this machine (noble could not open an HCI socket: EAFNOSUPPORT). ${HINT_NO_BLE}`,
        err,
      );
    case 'ENODEV':
      return new NoBluetoothAdapterError(
        `BLE mode: the Bluetooth adapter is missing or down (ENODEV). Check \`hciconfig hci0 up\`. ${HINT_NO_BLE}`,
        err,
      );
    case 'EPERM':
    case 'EACCES':
      return new NoBluetoothAdapterError(
        `BLE mode: not allowed to open a raw HCI socket (${e.code}). Run as root or grant node the capability: sudo setcap cap_net_raw+eip $(eval readlink -f $(which node)).`,
        err,
      );
    case 'ERR_MODULE_NOT_FOUND':
    case 'MODULE_NOT_FOUND':
      return new NoBluetoothAdapterError(
        'BLE mode: @abandonware/noble is not installed (it is an optional dependency and may have failed to build here). Install build tools and libbluetooth, then reinstall.',
        err,
      );
    default:
      return new NoBluetoothAdapterError(
        `BLE mode: noble failed to load (${e?.code ?? ''} ${(err as Error)?.message ?? String(err)}). ${HINT_NO_BLE}`,
        err,
      );
  }
}
