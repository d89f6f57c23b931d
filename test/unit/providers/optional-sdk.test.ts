import { createRequire } from 'node:module';
import { expect, test } from 'vitest';
import { ProviderBadRequestError } from '../../../src/providers/errors.js';
import { sdkNotLoaded } from '../../../src/providers/optional-sdk.js';

const target = { provider: 'bedrock', model: 'us.anthropic.claude-sonnet-4-6-v1:0' } as const;

/** The error Node itself throws for a package that is not installed, require stack and all. */
function notFound(): unknown {
  try {
    createRequire(import.meta.url).resolve('@example/not-installed-sdk');
  } catch (error) {
    return error;
  }
  throw new Error('resolved a package that does not exist');
}

test('a package that is not installed: one line naming it and the install command, not retried', () => {
  const cause = notFound();
  expect(String(cause)).toContain('\n'); // Node's message has the require stack
  const error = sdkNotLoaded(target, '@aws-sdk/client-bedrock-runtime', cause);
  expect(error).toBeInstanceOf(ProviderBadRequestError);
  expect(error.message).toBe(
    'bedrock:us.anthropic.claude-sonnet-4-6-v1:0 needs the optional package @aws-sdk/client-bedrock-runtime, ' +
      'which is not installed: npm install --save-dev @aws-sdk/client-bedrock-runtime',
  );
});

test('a package that fails to load for another reason: its first line, still one line', () => {
  const error = sdkNotLoaded(target, '@google/genai', new SyntaxError('Unexpected token\n    at x.js:1'));
  expect(error.message).toBe(
    'bedrock:us.anthropic.claude-sonnet-4-6-v1:0 needs the optional package @google/genai, ' +
      'which did not load (Unexpected token): npm install --save-dev @google/genai',
  );
  expect(error.message).not.toContain('\n');
});
