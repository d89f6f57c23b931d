/**
 * Google's token endpoints, faked: workload identity federation's STS token
 * exchange and the service account impersonation that follows it. Tests give
 * `google-auth-library` an `external_account` credentials file pointing here
 * (it ignores `token_uri` in service account key files, so those cannot be
 * redirected), and check that calls carry `authorization: Bearer <ACCESS_TOKEN>`.
 * @internal
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './http.js';

/** The OIDC token the credentials file's `credential_source.file` holds. */
export const SUBJECT_TOKEN = 'fake-oidc-subject-token';
/** What STS gives for the subject token. */
export const STS_TOKEN = 'fake-sts-federated-token';
/** What impersonation gives: the token every Vertex call must carry. */
export const ACCESS_TOKEN = 'fake-vertex-access-token';

const STS_PATH = '/google/sts/v1/token';
const IMPERSONATE = /^\/google\/iam\/v1\/projects\/-\/serviceAccounts\/([^/:]+):generateAccessToken$/;

/**
 * The `external_account` credentials (workload identity federation, as
 * google-github-actions/auth writes them) for the fake at `url`.
 *
 * @example
 * writeFileSync(file, JSON.stringify(externalAccountCredentials(fake.url, tokenFile)))
 */
export function externalAccountCredentials(url: string, subjectTokenFile: string): Record<string, unknown> {
  return {
    type: 'external_account',
    audience: '//iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/ci/providers/github',
    subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
    token_url: `${url}${STS_PATH}`,
    service_account_impersonation_url: `${url}/google/iam/v1/projects/-/serviceAccounts/qualify@fake-project.iam.gserviceaccount.com:generateAccessToken`,
    credential_source: { file: subjectTokenFile },
  };
}

/**
 * Answers a token request, if `pathname` is one; returns whether it did. A
 * wrong subject token or STS token is a 401 (an unauthenticated caller).
 */
export async function answerToken(
  incoming: IncomingMessage,
  pathname: string,
  res: ServerResponse,
  body: () => Promise<string>,
): Promise<boolean> {
  if (incoming.method !== 'POST') return false;
  if (pathname === STS_PATH) {
    const form = new URLSearchParams(await body());
    if (form.get('subject_token') !== SUBJECT_TOKEN) {
      sendJson(
        res,
        401,
        { error: 'invalid_grant', error_description: 'fake STS: unknown subject token' },
        {},
      );
      return true;
    }
    sendJson(
      res,
      200,
      {
        access_token: STS_TOKEN,
        issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
        token_type: 'Bearer',
        expires_in: 3600,
      },
      {},
    );
    return true;
  }
  if (IMPERSONATE.test(pathname)) {
    await body();
    if (incoming.headers.authorization !== `Bearer ${STS_TOKEN}`) {
      const error = { code: 401, message: 'fake IAM: not the STS token', status: 'UNAUTHENTICATED' };
      sendJson(res, 401, { error }, {});
      return true;
    }
    const expireTime = new Date(Date.now() + 3600_000).toISOString();
    sendJson(res, 200, { accessToken: ACCESS_TOKEN, expireTime }, {});
    return true;
  }
  return false;
}
