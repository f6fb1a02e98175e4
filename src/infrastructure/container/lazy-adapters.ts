/* eslint-disable @typescript-eslint/no-require-imports --
 * Adapters are required on first use, not imported: a job on the local store never loads axios or the
 * AWS SDK, and one with console alerts never loads node-notifier. This keeps `mlops-kit run` start-up
 * cheap (see bench/startup.ts). `import type` keeps every call fully typed. */
import type * as Alerting from '../alerting';
import type * as Client from '../tracking/client';
import type * as Layers from '../tracking/layers';
import type * as Local from '../tracking/local';
import type * as Logging from '../logging';
import type * as Memory from '../tracking/memory';
import type * as Models from '../models';
import type * as Mlflow from '../tracking/mlflow';
import type * as NoOp from '../tracking/noop';
import type * as Spill from '../tracking/spill';

export const lazy = {
  alerting: () => require('../alerting') as typeof Alerting,
  client: () => require('../tracking/client') as typeof Client,
  layers: () => require('../tracking/layers') as typeof Layers,
  local: () => require('../tracking/local') as typeof Local,
  logging: () => require('../logging') as typeof Logging,
  memory: () => require('../tracking/memory') as typeof Memory,
  mlflow: () => require('../tracking/mlflow') as typeof Mlflow,
  models: () => require('../models') as typeof Models,
  noop: () => require('../tracking/noop') as typeof NoOp,
  spill: () => require('../tracking/spill') as typeof Spill,
};
