import { SimError } from './sim.error.js';

/**
 * The broker answered CONNACK with a refusal (MQTT 3.1.1 §3.2.2.3): 4 = bad
 * user name or password, 5 = not authorized (2 = identifier rejected, 3 = server
 * unavailable are reported the same way with their code). Not retriable:
 * sending the same credentials again cannot help.
 */
export class CredentialsRefusedError extends SimError {
  constructor(
    readonly imeis: string[],
    readonly returnCode: number,
    cause?: unknown,
  ) {
    const who =
      imeis.length <= 3 ? imeis.join(', ') : `${imeis.slice(0, 3).join(', ')} and ${imeis.length - 3} more`;
    super(
      `broker refused the credentials of hub ${who} (CONNACK return code ${returnCode}: ${connackMeaning(returnCode)})`,
      {
        code: 'credentials_refused',
        retriable: returnCode === 3,
        cause,
      },
    );
  }
}

/** MQTT 3.1.1 §3.2.2.3 Table 3.1. */
export function connackMeaning(code: number): string {
  switch (code) {
    case 1:
      return 'unacceptable protocol version';
    case 2:
      return 'identifier rejected';
    case 3:
      return 'server unavailable';
    case 4:
      return 'bad user name or password';
    case 5:
      return 'not authorized';
    default:
      return 'refused';
  }
}
