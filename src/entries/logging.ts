/**
 * `mlops-kit/logging`: the winston logger adapter (JSON or pretty lines, secret redaction). Loads winston.
 *
 * @example
 * import { WinstonLogger } from 'mlops-kit/logging';
 * const logger = new WinstonLogger({ level: 'info', format: 'json', sink: 'stderr' });
 *
 * @packageDocumentation
 */
export { WinstonLogger, type WinstonLoggerOptions, type WinstonLevel } from '../infrastructure/logging/winston-logger';
export type { LogFormat } from '../infrastructure/logging/line-format';
export type { StackPolicy } from '../infrastructure/logging/redaction';
