import { Inject, Injectable, Logger, Module, type OnModuleDestroy } from '@nestjs/common';
import { type ColdchainConfig, CONFIG } from '@coldchain/config';
import { startFleet, type Fleet, type FleetHubSpec } from '@coldchain/firmware-sim';
import { readDemoCredentials, type DemoCredentials } from './demo-tenant.js';

/**
 * Builds the demo fleet from the demo credentials: the first SIM_HUBS hubs with
 * their tags, each tag at the middle of its profile's band, except one tag
 * that runs 1.5 °C above its band so that a newcomer sees an alert reach the
 * outbox within the first minute.
 */
export function demoFleetSpec(creds: DemoCredentials, hubs: number): FleetHubSpec[] {
  return creds.hubs.slice(0, hubs).map((hub, h) => ({
    imei: hub.imei,
    secret: hub.secret,
    tags: creds.tags
      .filter((t) => t.hub === hub.imei)
      .map((t, k, all) => {
        const { min, max } = t.profile.temperature;
        const warm = h === 0 && k === all.length - 1;
        return { mac: t.mac, setpointC: warm ? max + 1.5 : (min + max) / 2 };
      }),
  }));
}

/** The simulated fleet of the embedded default: real MQTT clients against the platform's own broker. */
@Injectable()
export class DemoFleetService implements OnModuleDestroy {
  private readonly logger = new Logger('DemoFleet');
  private fleet?: Fleet;

  constructor(@Inject(CONFIG) private readonly config: ColdchainConfig) {}

  /** Called once the MQTT edge is up. SIM_HUBS=0 keeps the fleet off. */
  async start(brokerUrl: string): Promise<void> {
    if (this.config.SIM_HUBS === 0) return;
    const creds = readDemoCredentials(this.config.DATA_DIR);
    if (!creds) {
      this.logger.warn(`no ${this.config.DATA_DIR}/demo-credentials.json: simulated fleet not started`);
      return;
    }
    const hubs = demoFleetSpec(creds, this.config.SIM_HUBS);
    this.fleet = await startFleet({
      brokerUrl,
      hubs,
      publishIntervalMs: this.config.SIM_INTERVAL_MS,
      gps: true,
      // A demo hub refused or a broker hiccup must not stop the platform: hubs retry like firmware.
      failFast: false,
      log: (line) => this.logger.log(line),
    });
    const tags = hubs.reduce((n, h) => n + h.tags.length, 0);
    this.logger.log(
      `${hubs.length} simulated hubs with ${tags} tags publishing every ${this.config.SIM_INTERVAL_MS} ms`,
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.fleet?.stop();
  }
}

@Module({ providers: [DemoFleetService], exports: [DemoFleetService] })
export class DemoFleetModule {}
