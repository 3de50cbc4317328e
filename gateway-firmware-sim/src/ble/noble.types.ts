/**
 * The slice of @abandonware/noble the simulator uses, typed here so that the
 * package (an optional dependency that throws at load time without a
 * Bluetooth adapter) is never imported for its types by code that may run
 * without it.
 */
export interface NobleAdvertisementLike {
  localName?: string;
  manufacturerData?: Buffer;
}

export interface NoblePeripheralLike {
  id: string;
  address: string;
  addressType?: string;
  rssi: number;
  advertisement: NobleAdvertisementLike;
}

export interface NobleLike {
  readonly state: string;
  on(event: 'stateChange', listener: (state: string) => void): unknown;
  on(event: 'discover', listener: (peripheral: NoblePeripheralLike) => void): unknown;
  removeListener(event: string, listener: (...args: never[]) => void): unknown;
  startScanning(
    serviceUuids: string[],
    allowDuplicates: boolean,
    callback?: (error?: Error | null) => void,
  ): void;
  stopScanning(callback?: () => void): void;
}
