/**
 * Where Bedrock's region, credentials and endpoints come from: rubric.yaml
 * `providers.bedrock` first, then the injected environment (the variables the
 * AWS SDK reads), never `process.env`. Pure and free of the SDK, like provider-env.ts.
 */
import type { ProviderSettings } from '../types.js';

/**
 * The variables Bedrock is configured from, by default. The names are the AWS
 * SDK's own, so an environment set up for the AWS CLI works unchanged.
 *
 * @example
 * BEDROCK_ENV.region // 'AWS_REGION'
 */
export const BEDROCK_ENV = {
  accessKeyId: 'AWS_ACCESS_KEY_ID',
  secretAccessKey: 'AWS_SECRET_ACCESS_KEY',
  sessionToken: 'AWS_SESSION_TOKEN',
  region: 'AWS_REGION',
  defaultRegion: 'AWS_DEFAULT_REGION',
  profile: 'AWS_PROFILE',
  roleArn: 'AWS_ROLE_ARN',
  webIdentityTokenFile: 'AWS_WEB_IDENTITY_TOKEN_FILE',
  containerCredentials: 'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  containerCredentialsRelative: 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  /** The runtime endpoint override (Converse, InvokeModel). */
  baseURL: 'AWS_ENDPOINT_URL_BEDROCK_RUNTIME',
  /** The control-plane endpoint override (ListFoundationModels). */
  controlURL: 'AWS_ENDPOINT_URL_BEDROCK',
} as const;

/** Explicit keys, when the environment holds them; else the SDK's default chain runs. */
export interface AwsKeys {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string | undefined;
}

/** What the Bedrock adapter is built from. */
export interface BedrockAccess {
  region: string | undefined;
  keys: AwsKeys | undefined;
  /** `AWS_PROFILE`, passed to the SDK so its chain reads the profile named in the injected environment. */
  profile: string | undefined;
  /** The runtime endpoint: an override, else `https://bedrock-runtime.{region}.amazonaws.com`. */
  url: string | undefined;
  urlFrom: string;
  /** Whether `url` is an override (sent to the SDK as `endpoint`) rather than the public one. */
  override: boolean;
  /** The control-plane endpoint override, for `listModels`. */
  controlURL: string | undefined;
  /** How credentials are found: `keys`, `profile`, `web identity`, `container`; `undefined` when none is visible. */
  credentialsFrom: 'keys' | 'profile' | 'web identity' | 'container' | undefined;
  missing: string | undefined;
}

type Read = (name: string | undefined) => string | undefined;

/**
 * Read Bedrock's region, credentials and endpoint. Credentials count as
 * configured when explicit keys, a profile, an OIDC web identity
 * (`AWS_ROLE_ARN` + `AWS_WEB_IDENTITY_TOKEN_FILE`) or container credentials are
 * in the environment; an EC2 instance role alone is not visible without a
 * call, so such a host sets `AWS_PROFILE` or keys.
 *
 * @example
 * bedrockAccess({ region: 'eu-west-1' }, read)
 * // { region: 'eu-west-1', url: 'https://bedrock-runtime.eu-west-1.amazonaws.com', missing: 'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (...)', ... }
 */
export function bedrockAccess(settings: ProviderSettings, read: Read): BedrockAccess {
  const region = settings.region ?? read(BEDROCK_ENV.region) ?? read(BEDROCK_ENV.defaultRegion);
  const accessKeyId = read(settings.api_key_env ?? BEDROCK_ENV.accessKeyId);
  const secretAccessKey = read(BEDROCK_ENV.secretAccessKey);
  const keys =
    accessKeyId !== undefined && secretAccessKey !== undefined
      ? { accessKeyId, secretAccessKey, sessionToken: read(BEDROCK_ENV.sessionToken) }
      : undefined;
  const profile = read(BEDROCK_ENV.profile);
  const webIdentity =
    read(BEDROCK_ENV.roleArn) !== undefined && read(BEDROCK_ENV.webIdentityTokenFile) !== undefined;
  const container =
    read(BEDROCK_ENV.containerCredentials) !== undefined ||
    read(BEDROCK_ENV.containerCredentialsRelative) !== undefined;
  const credentialsFrom = keys
    ? 'keys'
    : profile !== undefined
      ? 'profile'
      : webIdentity
        ? 'web identity'
        : container
          ? 'container'
          : undefined;
  const urlVar = settings.base_url_env ?? BEDROCK_ENV.baseURL;
  const overrides: [string | undefined, string][] = [
    [settings.base_url, 'providers.bedrock.base_url in rubric.yaml'],
    [read(urlVar), urlVar],
  ];
  const [override, overrideFrom] = overrides.find(([value]) => value !== undefined) ?? [undefined, ''];
  const url =
    override ?? (region === undefined ? undefined : `https://bedrock-runtime.${region}.amazonaws.com`);
  const unset = [
    credentialsFrom === undefined
      ? 'set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE, or AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE for OIDC)'
      : undefined,
    region === undefined ? 'set AWS_REGION (or providers.bedrock.region in rubric.yaml)' : undefined,
  ].filter((line) => line !== undefined);
  return {
    region,
    keys,
    profile,
    url,
    urlFrom: override !== undefined ? overrideFrom : 'the default',
    override: override !== undefined,
    controlURL: settings.base_url ?? read(BEDROCK_ENV.controlURL),
    credentialsFrom,
    missing: unset.length > 0 ? unset.join('; ') : undefined,
  };
}
