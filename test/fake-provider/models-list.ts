/**
 * `GET /v1/models` in both vendors' shapes: OpenAI's one-page
 * `{ object: 'list', data: [{ id, object, created, owned_by }] }`, and Anthropic's
 * cursor pages `{ data: [{ type, id, display_name, created_at }], has_more, first_id, last_id }`
 * (`limit`, `after_id`, `before_id`). A request carrying `anthropic-version` is Anthropic's:
 * both SDKs ask the same path.
 */
import type { ServerResponse } from 'node:http';
import { sendJson } from './http.js';

/** A model the fake lists; `createdAt` ISO 8601, absent for an undated one (OpenAI `created: 0`). */
export interface FakeListedModel {
  id: string;
  createdAt?: string;
}

/** What `setModels` configures. */
export interface ModelList {
  models: FakeListedModel[];
  /** Anthropic: at most this many a page, whatever `limit` asks. Default 1000 (the API's maximum). */
  pageSize?: number;
}

/** `setModels` options: whose list (both vendors' when absent) and the Anthropic page cap. */
export interface ModelListOptions extends Omit<ModelList, 'models'> {
  vendor?: 'openai' | 'anthropic';
}

/** One `GET /v1/models` the fake answered. */
export interface ModelListRequest {
  vendor: 'openai' | 'anthropic';
  query: Record<string, string>;
  headers: Record<string, string>;
}

const ANTHROPIC_DEFAULT_LIMIT = 20;

/**
 * Answer a models-list request from `list`.
 *
 * @example
 * sendModelList(res, { models: [{ id: 'gpt-5.2', createdAt: '2026-12-01T00:00:00Z' }] }, request, 'req_1')
 */
export function sendModelList(
  res: ServerResponse,
  list: ModelList,
  request: ModelListRequest,
  requestId: string,
): void {
  if (request.vendor === 'openai') {
    const data = list.models.map((m) => ({
      id: m.id,
      object: 'model',
      created: m.createdAt === undefined ? 0 : Math.floor(Date.parse(m.createdAt) / 1000),
      owned_by: 'system',
    }));
    sendJson(res, 200, { object: 'list', data }, { 'x-request-id': requestId });
    return;
  }
  const asked = Number(request.query['limit'] ?? ANTHROPIC_DEFAULT_LIMIT) || ANTHROPIC_DEFAULT_LIMIT;
  const limit = Math.max(1, Math.min(asked, list.pageSize ?? 1000));
  const ids = list.models.map((m) => m.id);
  const after = request.query['after_id'];
  const before = request.query['before_id'];
  let start = 0;
  let end = list.models.length;
  if (after !== undefined) start = ids.indexOf(after) + 1;
  if (before !== undefined) end = Math.max(0, ids.indexOf(before));
  const page =
    before !== undefined
      ? list.models.slice(Math.max(start, end - limit), end)
      : list.models.slice(start, start + limit);
  const data = page.map((m) => ({
    type: 'model',
    id: m.id,
    display_name: m.id,
    // An undated model has no created_at: what an adapter does when a gateway leaves it out.
    ...(m.createdAt === undefined ? {} : { created_at: m.createdAt }),
  }));
  const lastIndex = page.length ? ids.indexOf(page.at(-1)!.id) : -1;
  const firstIndex = page.length ? ids.indexOf(page[0]!.id) : -1;
  const hasMore = before !== undefined ? firstIndex > 0 : lastIndex >= 0 && lastIndex < end - 1;
  sendJson(
    res,
    200,
    { data, has_more: hasMore, first_id: page[0]?.id ?? null, last_id: page.at(-1)?.id ?? null },
    { 'request-id': requestId },
  );
}
