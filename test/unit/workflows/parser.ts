/**
 * The GitHub Actions workflow validator from the npm registry
 * (`@actions/workflow-parser`), loaded inside a test worker.
 *
 * The package imports its JSON schema without an import attribute, which Node
 * refuses for a module it loads itself (Vitest leaves node_modules to Node).
 * A module hook, registered once per worker, adds `type: 'json'` to that
 * package's JSON imports and to nothing else.
 */
import { register } from 'node:module';

const HOOKS = `export async function load(url, context, nextLoad) {
  if (url.endsWith('.json') && url.includes('/@actions/workflow-parser/')) {
    return nextLoad(url, { ...context, importAttributes: { ...context.importAttributes, type: 'json' } });
  }
  return nextLoad(url, context);
}`;
register(`data:text/javascript,${encodeURIComponent(HOOKS)}`);
const parser = await import('@actions/workflow-parser');

/**
 * Every problem the validator finds in a workflow: schema errors from parsing,
 * then errors from converting it to a workflow template. Empty when it is valid.
 *
 * @example
 * await workflowErrors('eval.yml', text) // []
 */
export async function workflowErrors(name: string, content: string): Promise<string[]> {
  const result = parser.parseWorkflow({ name, content }, new parser.NoOperationTraceWriter());
  const errors = result.context.errors.getErrors().map((error) => error.message);
  if (result.value === undefined) return errors.length > 0 ? errors : [`${name}: not a workflow`];
  const template = await parser.convertWorkflowTemplate(result.context, result.value);
  // The template carries the parse errors again (one context); each is reported once.
  return [...new Set([...errors, ...(template.errors ?? []).map((error) => error.Message)])];
}
