import { Logger } from '@aws-lambda-powertools/logger';

/**
 * What a log line must never carry (issue 12, ASVS V16): contact details and credentials. The
 * code does not log them; this is the net under it, applied to every string of every log line
 * (messages, attributes, error messages and stacks from the SDKs, which sometimes quote their input).
 */
const SCRUBS: [RegExp, string][] = [
  // JWTs (ID and access tokens) and Cognito refresh tokens (JWE: five dot-separated parts).
  [/eyJ[\w-]*\.[\w-]+\.[\w-]*(?:\.[\w-]+\.[\w-]+)?/g, '[token]'],
  [/\b(Bearer|Basic)\s+[\w.~+/=-]+/gi, '$1 [token]'],
  // The calendar feed and unsubscribe links carry their token in the path or query.
  [/(\/api\/calendar\/[\w-]+\/)[\w-]+/g, '$1[token]'],
  [/([?&](?:token|code|t)=)[^&\s"]+/gi, '$1[token]'],
  [/[\w.%+-]+@[\w-]+(?:\.[\w-]+)+/g, '[email]'],
  // French phone numbers, as members type them (06 12 34 56 78, 06.12.34.56.78, +33 6 12 34 56 78).
  [/(?<![\w+])(?:\+33[\s.-]?|0)[1-9](?:[\s.-]?\d{2}){4}(?![\w])/g, '[phone]'],
];

/** The log scrubber: every string value of a log line goes through it (exported for its test). */
export function scrubbed(text: string): string {
  let out = text;
  for (const [pattern, replacement] of SCRUBS) out = out.replace(pattern, replacement);
  return out;
}

/** Structured JSON logs (one line per event), shared by every function and the local stack. */
export const logger = new Logger({
  serviceName: 'coopol',
  logLevel: (process.env.LOG_LEVEL as 'DEBUG' | 'INFO' | 'WARN' | 'ERROR' | 'SILENT' | undefined) ?? 'INFO',
  jsonReplacerFn: (_key, value) => (typeof value === 'string' ? scrubbed(value) : value),
});
