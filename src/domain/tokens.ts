import type { IAlerter } from './ports/alerter';
import type { ILifecycleLogger } from './ports/lifecycle-logger';
import type { ILogger } from './ports/logger';
import type { IModelLoader } from './ports/model-loader';
import type { IModelRegistry } from './ports/model-registry';
import type { ITracker } from './ports/tracker';

// Each token is its own `unique symbol`, so TokenTypes can map it to its port type and a binding of the
// wrong type fails to compile. `Symbol.for` keeps them equal across copies of the package.
const Logger: unique symbol = Symbol.for('mlops-kit.Logger');
const Alerter: unique symbol = Symbol.for('mlops-kit.Alerter');
const Tracker: unique symbol = Symbol.for('mlops-kit.Tracker');
const ModelRegistry: unique symbol = Symbol.for('mlops-kit.ModelRegistry');
const LifecycleLogger: unique symbol = Symbol.for('mlops-kit.LifecycleLogger');
const Clock: unique symbol = Symbol.for('mlops-kit.Clock');
const ModelLoader: unique symbol = Symbol.for('mlops-kit.ModelLoader');

/**
 * DI tokens, one per port, named like the port without its `I`. Each carries its port's type through
 * {@link TokenTypes}: the container's typed `get`/`bind`/`rebind` and `createContainer`'s `overrides`
 * refuse a value of the wrong type at compile time.
 *
 * @example
 * const container = createContainer({ overrides: { [TYPES.Alerter]: new ConsoleAlerter() } });
 * const tracker: ITracker = container.get(TYPES.Tracker);
 */
export const TYPES = { Logger, Alerter, Tracker, ModelRegistry, LifecycleLogger, Clock, ModelLoader } as const;

/**
 * A clock: milliseconds since the epoch. Bound to `TYPES.Clock` so tests can pin time.
 *
 * @example const container = createContainer({ profile: 'test', overrides: { [TYPES.Clock]: () => 1_700_000_000_000 } });
 */
export type Clock = () => number;

/**
 * The type bound to each token. Apps add their own tokens by augmenting this interface
 * (`declare module 'mlops-kit' { interface TokenTypes { [MY_TOKEN]: MyService } }`).
 *
 * @example
 * const overrides: Partial<TokenTypes> = { [TYPES.Tracker]: new InMemoryTracker() };
 */
export interface TokenTypes {
  [TYPES.Logger]: ILogger;
  [TYPES.Alerter]: IAlerter;
  [TYPES.Tracker]: ITracker;
  [TYPES.ModelRegistry]: IModelRegistry;
  [TYPES.LifecycleLogger]: ILifecycleLogger;
  [TYPES.Clock]: Clock;
  [TYPES.ModelLoader]: IModelLoader;
}

/**
 * A token whose bound type is known: one of `TYPES`, or an app's own token added to {@link TokenTypes}.
 *
 * @example const resolve = <K extends Token>(container: MlopsContainer, token: K): TokenTypes[K] => container.get(token);
 */
export type Token = keyof TokenTypes;
