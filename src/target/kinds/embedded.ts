/** `--target embedded` (the default): an emulator kbench starts on 127.0.0.1 for the run. */
import { SUBSCRIPTION_TIMEOUTS, createKinesisClient } from '../client.js';
import { startEmulator, type EmbeddedEmulator } from '../embedded.js';
import { planLayer } from '../layer-plan.js';
import { checkReachable } from '../reachable.js';
import type { Target } from '../target.js';
import type { TargetKindModule } from './kind.js';
import {
  DUMMY_CREDENTIALS,
  EMULATION_FLAGS,
  LOCAL_REGION,
  emulationFromFlags,
  emulationOptionsJson,
  layerInfo,
} from './local.js';

export const embeddedTarget: TargetKindModule<'embedded'> = {
  kind: 'embedded',
  help: 'embedded (a local kinesalite kbench starts)',
  flags: ['emulator', 'emulatorPort', ...EMULATION_FLAGS],
  local: true,
  // kinesis-mock serves subscriptions over HTTP/1.1 only.
  subscribesOverHttp2: () => false,
  specFromFlags: (flags) => ({
    kind: 'embedded',
    ...(flags.emulator !== undefined && { emulator: flags.emulator }),
    ...(flags.emulatorPort !== undefined && { emulatorPort: flags.emulatorPort }),
    ...emulationFromFlags(flags),
  }),
  open: async (spec, signal) => {
    const plan = planLayer(spec.limits ?? { kind: 'aws' }, spec.faults, 'none');
    const emulator: EmbeddedEmulator = await startEmulator(spec.emulator ?? 'kinesalite', {
      ...(spec.emulatorPort !== undefined && { port: spec.emulatorPort }),
      ...(plan.needed && { layer: { quota: plan.quota, faults: plan.faults } }),
    });
    const settings = { endpoint: emulator.endpoint, region: LOCAL_REGION, credentials: DUMMY_CREDENTIALS };
    const target: Target = {
      info: {
        kind: 'embedded',
        endpoint: emulator.endpoint,
        region: LOCAL_REGION,
        ...layerInfo(plan),
        emulator: { name: emulator.name, version: emulator.version },
      },
      shardLimit: emulator.shardLimit,
      costsMoney: false,
      lost: emulator.lost,
      clientSettings: (maxSockets) => ({ ...settings, maxSockets }),
      enhancedFanOut: emulator.enhancedFanOut ? 'yes' : 'no',
      createClient: (maxSockets) => createKinesisClient({ ...settings, maxSockets }),
      subscriptionClientSettings: (maxSubscriptions) => ({
        ...settings,
        ...SUBSCRIPTION_TIMEOUTS,
        maxSockets: maxSubscriptions,
      }),
      close: () => emulator.stop(),
    };
    return checkReachable(target, signal).catch(async (error: unknown) => {
      await emulator.stop();
      throw error;
    });
  },
  optionsJson: (spec) => ({
    target: 'embedded',
    emulator: spec.emulator ?? 'kinesalite',
    emulator_port: spec.emulatorPort ?? null,
    ...emulationOptionsJson(spec),
  }),
};
