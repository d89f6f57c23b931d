export { startFakeGitHub } from './server.js';
export type { FakeGitHub, FakeGitHubOptions } from './server.js';
export type { FakeComment, RecordedRequest, ScriptedFailure } from './state.js';
export { blobSha, type FakeCommit, type FakePull } from './repo-contents.js';
