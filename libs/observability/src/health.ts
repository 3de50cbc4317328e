/** State of one component, as `/health` reports it. */
export type ComponentState = 'starting' | 'up' | 'degraded' | 'down' | 'stopping';

/**
 * Components register a probe; `/health` answers 200 when every component is
 * `up` (or `degraded`, which still serves), 503 otherwise.
 */
export class HealthRegistry {
  private readonly probes = new Map<string, () => ComponentState>();

  register(component: string, probe: () => ComponentState): void {
    this.probes.set(component, probe);
  }

  report(): { status: 'ok' | 'unavailable'; components: Record<string, ComponentState> } {
    const components: Record<string, ComponentState> = {};
    let ok = this.probes.size > 0;
    for (const [name, probe] of this.probes) {
      let state: ComponentState;
      try {
        state = probe();
      } catch {
        state = 'down';
      }
      components[name] = state;
      if (state !== 'up' && state !== 'degraded') ok = false;
    }
    return { status: ok ? 'ok' : 'unavailable', components };
  }
}
