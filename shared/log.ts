import { Logger } from '@aws-lambda-powertools/logger';

/** Structured JSON logs (one line per event), shared by every function and the local stack. */
export const logger = new Logger({
  serviceName: 'coopol',
  logLevel: (process.env.LOG_LEVEL as 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT' | undefined) ?? 'INFO',
});
