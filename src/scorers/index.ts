export { runChecks, type CheckDeps, type CheckFunction, type ImportModule } from './checks.js';
export { judgeCase, combineJudgeSamples, type JudgeOptions, type JudgeResult } from './judge.js';
export {
  faithfulness,
  faithfulnessScore,
  type FaithfulnessOptions,
  type FaithfulnessResult,
} from './faithfulness.js';
export {
  answerRelevancy,
  type AnswerRelevancyOptions,
  type AnswerRelevancyResult,
} from './answer-relevancy.js';
export { scoreTrial, trialContexts } from './score-trial.js';
export { aggregateTrials, type CaseScore, type TrialSpread } from './aggregate.js';
export { JudgeReplyError, type ScorerName } from './errors.js';
export { cosine, relevancyScore, noncommittalGateTrips, type NoncommittalGate } from './math.js';
export { weightedScoreAt, weightedScores } from './g-eval.js';
export type {
  AgentOutput,
  CaseMessage,
  Check,
  CheckResult,
  Criterion,
  CriterionResult,
  JudgeInfo,
  ScoringCase,
  ScoringConfig,
  TrialResult,
} from './types.js';
