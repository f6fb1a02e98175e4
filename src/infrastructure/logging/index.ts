export { WinstonLogger, type WinstonLoggerOptions, type WinstonLevel } from './winston-logger';
export { MemoryLogger, type MemoryLoggerOptions, type MemoryLogEntry } from './memory-logger';
export { Redactor, SECRET_ENV_NAMES, isSecretFieldKey, redactionSecretsFromEnv, type SerializedError } from './redaction';
export type { LogFormat } from './line-format';
