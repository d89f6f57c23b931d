export { startFakeProvider } from './server.js';
export { hashEmbedding } from './embeddings.js';
export { echoResponder } from './responders.js';
export { lastUserText } from './request-text.js';
export { APIS } from './types.js';
export { ACCESS_TOKEN, SUBJECT_TOKEN, externalAccountCredentials } from './google-auth.js';
export { faultsBeforeAnswers } from './fault-plan.js';
export type { FakeProvider, FakeProviderOptions, FakeProviderStats, RuleOptions } from './provider.js';
export type {
  Api,
  ChatReply,
  EmbeddingsReply,
  Fault,
  FaultPlan,
  FaultReply,
  JsonObject,
  Match,
  ModelsReply,
  RecordedRequest,
  Reply,
  Responder,
  ScriptedLogprob,
  ScriptedToolCall,
} from './types.js';
export type { FakeListedModel, ModelListRequest } from './models-list.js';
