export { qualify, type QualifyOptions } from './vitest/plugin.js';
export {
  defineAgent,
  type Agent,
  type AgentContext,
  type AgentClient,
  type AgentReturn,
} from './run/agent.js';
export { toScoreAtLeast, notRegressBeyond, qualifyMatchers, type ScoredCase } from './vitest/matchers.js';
export { QualifyReporter } from './vitest/reporter.js';
export { readCaseMeta } from './vitest/meta.js';
export { computeVerdict, runVerdict } from './scorecard/verdict.js';
export { buildScorecard } from './scorecard/build.js';
export { renderMarkdown } from './scorecard/markdown.js';
export { renderTerminal } from './scorecard/terminal.js';
export { loadBaseline } from './vitest/baseline-source.js';
export { parseBaseline } from './scorecard/baseline.js';
export { SCORECARD_SCHEMA } from './scorecard/types.js';
export type {
  Scorecard,
  ScorecardCase,
  CaseResult,
  CaseStatus,
  Verdict,
  Gate,
  Thresholds,
} from './scorecard/types.js';
export { createModelClient } from './providers/client.js';
export type {
  ModelClient,
  ChatRequest,
  ChatResponse,
  EmbedRequest,
  EmbedResponse,
} from './providers/types.js';
export { loadProject, loadRubric, loadCaseFile, loadAllowlist } from './config/load.js';
export { QualifyError, ConfigError, UsageError } from './errors.js';
