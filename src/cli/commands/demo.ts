import { loadProject } from '../../config/load.js';
import type { ProjectCase } from '../../config/project.js';
import type { DemoCase } from '../../demo/answers.js';
import { demoEnv, exportLines } from '../../demo/env.js';
import { startDemoServer } from '../../demo/server.js';
import { UsageError } from '../../errors.js';
import { EXIT, type CommandSpec } from '../command.js';
import { booleanOption, stringOption } from '../args/options.js';
import { spawnExit, vitestBin } from '../vitest-child.js';

/** What a demo run adds to the environment besides the providers: nothing cached, the scorecard told. */
const DEMO_RUN_ENV = { QUALIFY_CACHE: 'off', QUALIFY_DEMO: '1' } as const;

/**
 * `qualify demo`: the qualification of this repository, without keys, against a demo server on
 * loopback that answers the agent, the judge, faithfulness, relevancy and embeddings by fixed rules.
 *
 * @example
 * await runCli(['demo'], io) // 0 when the demo scorecard passes
 */
export const demo: CommandSpec = {
  name: 'demo',
  summary: 'Run the qualification without keys, against a demo server on loopback (answers from no model).',
  description:
    'Starts a small OpenAI- and Anthropic-compatible server on 127.0.0.1 and runs the qualification ' +
    '(`vitest run --project eval`) with every provider pointed at it and a dummy key, so the whole pipeline ' +
    'runs on your repository with no API key: your agent module, checks, judge, faithfulness, answer ' +
    'relevancy, the scorecard and the gate. Nothing is a model: the agent answers each case with its ' +
    '`reference` (else its `context`, else an echo of the question), the judge gives every criterion 9, ' +
    'faithfulness checks each sentence against the context by word overlap, relevancy gives back the ' +
    'question asked, embeddings are hashed bags of words. Nothing is cached (`QUALIFY_CACHE=off`: the ' +
    'cassettes are not touched) and nothing is spent; the scorecard says it is a demo (`source.mode` ' +
    '`demo`) and `qualify promote` refuses it; a baseline, if there is one, is compared as usual, and those deltas mean ' +
    'nothing. A `base_url` written in rubric.yaml cannot be redirected: ' +
    'the demo then stops and says so.',
  positionals: [],
  options: {
    serve: {
      type: 'boolean',
      description:
        'Only start the server and print the variables to export; run Vitest yourself. Ctrl-C stops it.',
    },
    port: { type: 'string', value: '<port>', description: 'The port to listen on. Default: any free port.' },
    project: {
      type: 'string',
      value: '<name>',
      default: 'eval',
      description: 'The Vitest project that runs the qualification.',
    },
  },
  examples: ['npx qualify demo', 'npx qualify demo --serve --port 4010'],
  async run({ options }, io) {
    const port = Number(stringOption(options, 'port') ?? '0');
    if (!Number.isInteger(port) || port < 0 || port > 65_535) {
      throw new UsageError(
        `--port takes a port number from 0 to 65535; found ${stringOption(options, 'port')}`,
      );
    }
    const project = await loadProject({ cwd: io.cwd });
    const cases = project.cases.map(demoCase);
    const server = await startDemoServer(cases, port);
    const { env, problems } = demoEnv(project.rubric, server.url);
    if (problems.length > 0) {
      await server.close();
      throw new UsageError(problems.join('; '));
    }
    const vars = { ...env, ...DEMO_RUN_ENV };
    if (booleanOption(options, 'serve')) {
      io.stdout.write(
        [
          `# qualify demo: serving on ${server.url} (answers from no model); Ctrl-C stops it.`,
          '# In another shell, in this repository:',
          ...exportLines(vars),
          `npx vitest run --project ${stringOption(options, 'project') ?? 'eval'}`,
          '',
        ].join('\n'),
      );
      // Serve until stopped: Ctrl-C ends the process (the listening server keeps it alive till then).
      await new Promise<void>((resolve) =>
        io.signal?.addEventListener('abort', () => resolve(), { once: true }),
      );
      await server.close();
      return EXIT.ok;
    }
    const name = stringOption(options, 'project') ?? 'eval';
    io.stderr.write(
      `qualify demo: answers come from the demo server on ${server.url}, not from a model: ` +
        'no key is needed, nothing is cached, nothing is spent\n',
    );
    try {
      const code = await spawnExit(process.execPath, [vitestBin(io.cwd), 'run', '--project', name], {
        cwd: io.cwd,
        env: { ...io.env, ...vars },
        stdout: io.stdout,
        stderr: io.stderr,
      });
      io.stderr.write(
        `qualify demo: the demo server answered ${server.requests()} requests; ` +
          'the scorecard is a demo (qualify promote refuses it): run npm run eval with your keys for a real one\n',
      );
      return code;
    } finally {
      await server.close();
    }
  },
};

/** A case as the demo agent knows it: its input (or last user message), reference and context. */
function demoCase(c: ProjectCase): DemoCase {
  const input = c.input ?? c.messages?.filter((m) => m.role === 'user').at(-1)?.content ?? '';
  return { input, reference: c.reference, context: c.context };
}
