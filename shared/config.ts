import * as z from 'zod/mini';

/**
 * Runtime configuration, read once from the environment and validated. In AWS the CDK stack sets
 * these variables on every function; locally the local stack sets them before serving.
 */
const ConfigSchema = z.object({
  /** `local` runs on the emulators; `aws` on the real services. */
  STAGE: z.enum(['local', 'aws']),
  AWS_REGION: z.string().check(z.minLength(1)),
  TABLE_NAME: z.string().check(z.minLength(1)),
  USER_POOL_ID: z.string().check(z.minLength(1)),
  USER_POOL_CLIENT_ID: z.string().check(z.minLength(1)),
  /** The From address of every email, e.g. `La coopol <ne-pas-repondre@coopol.fr>`. */
  MAIL_FROM: z.string().check(z.minLength(3)),
  /** Public origin of the site, used in links inside emails. */
  SITE_URL: z.string().check(z.minLength(1)),
  /**
   * The private bucket of uploaded and processed images (issue 10). Optional here so that scripts
   * which touch no media need not set it; infra sets it on every function, and the media code
   * throws a clear error when it is missing (shared/data/media-store.ts).
   */
  MEDIA_BUCKET: z.optional(z.string()),
  /** Emulator endpoints: set only when STAGE is `local`. */
  DYNAMODB_ENDPOINT: z.optional(z.string()),
  COGNITO_ENDPOINT: z.optional(z.string()),
  SES_ENDPOINT: z.optional(z.string()),
  /** The S3 emulator (s3rver), path-style addressing. */
  S3_ENDPOINT: z.optional(z.string()),
});

export type Config = z.infer<typeof ConfigSchema>;

/** The names every function needs; infra sets exactly these. */
export const CONFIG_KEYS = Object.keys(ConfigSchema.shape) as (keyof Config)[];

let cached: Config | undefined;

/** The validated configuration; throws a readable error naming what is missing. */
export function config(): Config {
  if (cached) return cached;
  const parsed = ConfigSchema.safeParse(process.env);
  if (!parsed.success) {
    const names = parsed.error.issues.map((i) => i.path.join('.')).join(', ');
    throw new Error(`Invalid configuration: check the environment variables ${names}`);
  }
  if (parsed.data.STAGE === 'local' && !parsed.data.DYNAMODB_ENDPOINT) {
    throw new Error('Invalid configuration: STAGE=local needs DYNAMODB_ENDPOINT');
  }
  cached = parsed.data;
  return cached;
}

/** Forget the cached configuration (the local stack and tests change the environment). */
export function resetConfig(): void {
  cached = undefined;
}
