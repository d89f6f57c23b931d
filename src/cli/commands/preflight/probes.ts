import type { Interfaces } from '../../../config/schema/interfaces.js';
import { compileJsonSchema } from '../../../config/json-schema.js';
import { isQualifyError } from '../../../errors.js';
import type { ModelClient } from '../../../providers/types.js';

/** The outcome of probing one interface on one model. */
export interface ProbeResult {
  interface: string;
  ok: boolean;
  /** What was seen: the reply's shape, or why it failed. */
  detail: string;
}

/** One interface check: a request and what its reply must look like. */
interface Probe {
  interface: string;
  run(client: ModelClient, model: string): Promise<ProbeResult>;
}

/**
 * The probes for the interfaces rubric.yaml declares: each tool forced once with
 * its arguments validated, the structured output validated, the stream
 * assembled to a finished reply. Plain text is always probed.
 *
 * @example
 * const results = await runProbes(probesFor(rubric.interfaces), client, 'anthropic:claude-opus-4-7')
 */
export function probesFor(interfaces: Interfaces | undefined): Probe[] {
  const structured = interfaces?.structured_output;
  return [
    textProbe(),
    ...(interfaces?.tools ?? []).map(toolProbe),
    ...(structured ? [structuredProbe(structured)] : []),
    ...(interfaces?.streaming ? [streamingProbe()] : []),
  ];
}

/** Plain text: a short reply with some text in it. */
function textProbe(): Probe {
  return {
    interface: 'text',
    async run(client, model) {
      const reply = await client.chat({
        model,
        messages: [{ role: 'user', content: 'Reply with one short sentence saying you are ready.' }],
        maxTokens: 200,
        purpose: 'probe',
      });
      const choice = reply.choices[0];
      return choice && choice.text.trim()
        ? ok('text', `${choice.text.trim().length} chars, finish ${choice.finishReason}`)
        : fail('text', 'no text in the reply');
    },
  };
}

/** A tool forced once, its arguments validated against its schema. */
function toolProbe(tool: NonNullable<Interfaces['tools']>[number]): Probe {
  const validate = compileJsonSchema(tool.parameters);
  return {
    interface: `tool ${tool.name}`,
    async run(client, model) {
      const name = `tool ${tool.name}`;
      const reply = await client.chat({
        model,
        messages: [{ role: 'user', content: `Call the tool ${tool.name} with plausible example arguments.` }],
        tools: [{ name: tool.name, description: tool.description, parameters: tool.parameters }],
        toolChoice: { name: tool.name },
        maxTokens: 1000,
        purpose: 'probe',
      });
      const call = reply.choices[0]?.toolCalls.find((c) => c.name === tool.name);
      if (!call)
        return fail(name, `no call of ${tool.name} (finish ${reply.choices[0]?.finishReason ?? 'none'})`);
      if (call.arguments === undefined)
        return fail(name, `arguments are not JSON: ${call.rawArguments.slice(0, 80)}`);
      if (!validate(call.arguments)) {
        const e = validate.errors?.[0];
        return fail(
          name,
          `arguments do not match the schema: ${e?.instancePath || '/'} ${e?.message ?? ''}`.trim(),
        );
      }
      return ok(name, `called with ${Object.keys(call.arguments as object).join(', ') || 'no'} arguments`);
    },
  };
}

/** The structured output, validated against its schema. */
function structuredProbe(structured: NonNullable<Interfaces['structured_output']>): Probe {
  const validate = compileJsonSchema(structured.schema);
  return {
    interface: `structured output ${structured.name}`,
    async run(client, model) {
      const name = `structured output ${structured.name}`;
      const reply = await client.chat({
        model,
        messages: [{ role: 'user', content: 'Reply with a plausible example object for this schema.' }],
        responseSchema: { name: structured.name, schema: structured.schema },
        maxTokens: 1000,
        purpose: 'probe',
      });
      const parsed = reply.choices[0]?.parsed;
      if (parsed === undefined) return fail(name, 'the reply is not JSON');
      if (!validate(parsed)) {
        const e = validate.errors?.[0];
        return fail(
          name,
          `the reply does not match the schema: ${e?.instancePath || '/'} ${e?.message ?? ''}`.trim(),
        );
      }
      return ok(name, 'a valid object');
    },
  };
}

/** The stream, assembled to a finished reply. */
function streamingProbe(): Probe {
  return {
    interface: 'streaming',
    async run(client, model) {
      const reply = await client.chat({
        model,
        messages: [{ role: 'user', content: 'Count from one to five in words.' }],
        stream: true,
        maxTokens: 200,
        purpose: 'probe',
      });
      const choice = reply.choices[0];
      if (!choice?.text.trim()) return fail('streaming', 'the stream assembled to no text');
      const ttft = reply.usage.timeToFirstTokenMs;
      return ok(
        'streaming',
        `finish ${choice.finishReason}${ttft === undefined ? '' : `, first token ${Math.round(ttft)} ms`}`,
      );
    },
  };
}

/** Run every probe on a model; a failed call is a failed probe, never a crash. */
export async function runProbes(probes: Probe[], client: ModelClient, model: string): Promise<ProbeResult[]> {
  return Promise.all(
    probes.map((probe) =>
      probe
        .run(client, model)
        .catch((error: unknown) =>
          fail(probe.interface, isQualifyError(error) ? error.message : String(error)),
        ),
    ),
  );
}

function ok(name: string, detail: string): ProbeResult {
  return { interface: name, ok: true, detail };
}

function fail(name: string, detail: string): ProbeResult {
  return { interface: name, ok: false, detail };
}
