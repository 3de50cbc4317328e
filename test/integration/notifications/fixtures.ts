// The shared alert fixtures (test/fixtures); only the ack URL differs,
// so that these tests can assert the exact link a real SMTP server received.
import type { AlertRenderContext } from '@coldchain/notifications';
import { renderContext as libRenderContext } from '../../fixtures/alert-event.fixture.js';

export { STARTED_AT, alertEvent as criticalExcursion } from '../../fixtures/alert-event.fixture.js';

export function renderContext(overrides: Partial<AlertRenderContext> = {}): AlertRenderContext {
  return libRenderContext({ ackUrl: 'https://coldchain.example/ack?t=signed-token', ...overrides });
}
