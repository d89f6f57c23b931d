export { startFakeGitHub } from './server.js';
export type { FakeGitHub, FakeGitHubOptions } from './server.js';
export type { FakeComment, RecordedRequest, ScriptedFailure } from './state.js';
export type { FakeRule, FakeRuleset, FakeRulesets, FakeStatusCheck } from './rulesets.js';
export { blobSha, type FakeCommit, type FakePull } from './repo-contents.js';
