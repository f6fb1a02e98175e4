import { TYPES } from '../../domain/tokens';
import type { AppConfig } from '../config/schema';
import { containerSecrets } from '../container/container-secrets';
import { createContainer } from '../container/create-container';
import { CONFIG } from '../container/internal-tokens';
import type { MlopsContainer } from '../container/mlops-container';
import type { MlopsModuleOptions } from './module-options';
import { NestLoggerAdapter } from './nest-logger';

/**
 * The module's one container: `createContainer` with the options as given, its logger rebound to Nest's
 * unless the app overrides `TYPES.Logger`. Rebound right after creation, before anything is resolved, so
 * every adapter's child logger writes through Nest.
 */
export function buildContainer(options: MlopsModuleOptions): MlopsContainer {
  const { startServices: _start, shutdown: _shutdown, ...containerOptions } = options;
  const container = createContainer(containerOptions);
  const overridden = options.overrides !== undefined && options.overrides[TYPES.Logger] !== undefined;
  if (!overridden) {
    const config = container.get<AppConfig>(CONFIG);
    const secrets = containerSecrets(config, options.env ?? process.env);
    container
      .rebindSync(TYPES.Logger)
      .toDynamicValue(() => new NestLoggerAdapter({ level: config.logging.level, secrets }))
      .inSingletonScope();
  }
  return container as MlopsContainer;
}
