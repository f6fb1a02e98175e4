export { WinstonLogger, type WinstonLoggerOptions, type WinstonLevel } from './winston-logger';
export { MemoryLogger, type MemoryLoggerOptions, type MemoryLogEntry } from './memory-logger';
export { Redactor, SECRET_ENV_NAMES, isSecretFieldKey, redactionSecretsFromEnv, defaultStackPolicy, type SerializedError, type StackPolicy, type RedactorOptions } from './redaction';
export { SecretFragments } from './secret-fragments';
export { rememberSecrets, rememberedSecrets } from './known-secrets';
export { escapeControl, quoteInput } from './terminal-text';
export type { LogFormat } from './line-format';
