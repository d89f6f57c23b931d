/**
 * Bad allowlists, baselines, cassettes, agent modules and files too large or
 * unreadable: each refused with one line and exit code 2.
 */
import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { git } from '../../helpers/scratch.js';
import { rubricWith, type BadInput } from './types.js';

const ENTRY = (overrides: Record<string, string>) => ({
  case: 'refund-window',
  model: 'openai:model-b',
  reason: '"Terser; still correct."',
  author: '"Dana Reviewer <dana@example.com>"',
  date: '2026-11-20',
  ...overrides,
});
const allowlist = (entry: Record<string, string>) =>
  `- ${Object.entries(entry)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\n  ')}\n`;
const baseline = (body: object) =>
  JSON.stringify({ schema: 'vitest-qualify/scorecard@1', model: 'openai:model-a', ...body });
const HEADER = '{"cassette":"vitest-qualify/cassette@1","source":"hand-written","note":"by hand"}';
const CASSETTE = 'eval/cassettes/openai/model-a.jsonl';
const REPLAY = { QUALIFY_CACHE: 'replay' };

export const FILE_INPUTS: BadInput[] = [
  {
    name: 'allowlist: an entry for a case that does not exist',
    files: { 'eval/allowlist.yaml': allowlist(ENTRY({ case: 'refund-windw' })) },
    message: 'eval/allowlist.yaml:1:9: [0].case names no case: refund-windw; did you mean refund-window?',
  },
  {
    name: 'allowlist: max_drop above max_per_case_regression',
    files: { 'eval/allowlist.yaml': allowlist(ENTRY({ max_drop: '5' })) },
    message:
      'eval/allowlist.yaml:6:13: [0].max_drop 5 is above max_per_case_regression 3 (rubric.yaml:4:13); no allowlist entry can cover a larger drop',
  },
  {
    name: 'allowlist: an entry without a reason',
    files: { 'eval/allowlist.yaml': allowlist({ ...ENTRY({}), reason: '""' }) },
    message: 'eval/allowlist.yaml:3:11: [0].reason must not be empty; found ""',
  },
  {
    name: 'allowlist: a date that does not exist',
    files: { 'eval/allowlist.yaml': allowlist(ENTRY({ date: '2026-02-30' })) },
    message: 'eval/allowlist.yaml:5:9: [0].date is not a real date: 2026-02-30',
  },
  {
    name: 'allowlist: YAML syntax error',
    files: { 'eval/allowlist.yaml': '- case: refund-window\n  reason: "unterminated\n' },
    message: 'eval/allowlist.yaml:3:1: YAML syntax error: Missing closing "quote',
  },
  {
    name: 'baseline: another schema version',
    files: { 'eval/baseline.json': baseline({ schema: 'vitest-qualify/scorecard@0', cases: [] }) },
    message:
      'eval/baseline.json: the baseline has schema "vitest-qualify/scorecard@0", this version reads vitest-qualify/scorecard@1: re-run the qualification of the current primary to regenerate it',
  },
  {
    name: 'baseline: not JSON',
    files: { 'eval/baseline.json': '{"schema": "vitest-qualify/scorecard@1", "cases": [\n' },
    message:
      'eval/baseline.json:2:1: the baseline is not valid JSON (unexpected end of input): restore it from git or re-create it with `qualify promote`',
  },
  {
    name: 'baseline: not a scorecard (no cases)',
    files: { 'eval/baseline.json': baseline({}) },
    message:
      'eval/baseline.json: the baseline is not a scorecard: cases: Invalid input: expected array, received undefined',
  },
  {
    name: 'baseline: a QUALIFY_BASELINE_REF that does not exist',
    files: {},
    env: { QUALIFY_BASELINE_REF: 'release-2026' },
    message:
      'eval/baseline.json: the baseline ref release-2026 does not exist here: fetch it (actions/checkout with fetch-depth: 0, or git fetch origin release-2026) or set QUALIFY_BASELINE_REF',
    // The scratch project sits inside this repository's checkout: give it a repository of its own.
    prepare: (dir) => void git(dir, 'init', '-q'),
  },
  {
    name: 'baseline: a base branch that was not fetched',
    files: {},
    env: { GITHUB_BASE_REF: 'main' },
    message:
      'eval/baseline.json: the baseline ref origin/main does not exist here: fetch it (actions/checkout with fetch-depth: 0, or git fetch origin main) or set QUALIFY_BASELINE_REF',
    prepare: (dir) => {
      git(dir, 'init', '-q', '-b', 'main');
      git(dir, 'add', '.');
      git(dir, 'commit', '-qm', 'init');
    },
  },
  {
    name: 'cassette: a line edited by hand into invalid JSON',
    files: { [CASSETTE]: `${HEADER}\n{"key": "abc", "kind": "chat",\n` },
    env: REPLAY,
    message:
      'eval/cassettes/openai/model-a.jsonl:2: not valid JSON; delete the line or re-record with QUALIFY_CACHE=record',
  },
  {
    name: 'cassette: no header line',
    files: { [CASSETTE]: '{"key":"abc"}\n' },
    env: REPLAY,
    message:
      'eval/cassettes/openai/model-a.jsonl:1: the first line must be the header {"cassette":"vitest-qualify/cassette@1","source":"recorded"|"hand-written","note":"..."}; fix it or delete the file and re-record',
  },
  {
    name: 'cassette: an entry without its response',
    files: {
      [CASSETTE]: `${HEADER}\n{"key":"abc","kind":"chat","model":"openai:model-a","request":{},"recorded_at":"2026-11-20T00:00:00Z"}\n`,
    },
    env: { QUALIFY_CACHE: 'auto' },
    message:
      'eval/cassettes/openai/model-a.jsonl:2: not a cassette entry (response: Invalid input: expected object, received undefined); delete the line or re-record with QUALIFY_CACHE=record',
  },
  {
    name: 'a subject entry that does not export a function',
    files: {
      'rubric.yaml': rubricWith('agent', 'agent: agents/agent.ts'),
      'agents/agent.ts': 'export const agent = (input: string) => `echo ${input}`;\n',
    },
    // Replayed: the entry is refused when it loads, not for the provider no run here can reach.
    env: REPLAY,
    message:
      'agents/agent.ts does not export a default function: add `export default defineAgent(async (input, ctx) => ...)`',
  },
  {
    name: 'a 50 MB case file, read with a 256 MB heap',
    files: {},
    env: { NODE_OPTIONS: '--max-old-space-size=256' },
    message:
      'eval/cases.yaml: is 50.1 MB, more than the 10 MB vitest-qualify reads from one file; split it into smaller files (a subject’s cases: takes a list of paths or globs, e.g. eval/cases/*.yaml)',
    prepare: async (dir) => {
      // 27,100 rows of 1,937 bytes: 52,492,714 bytes, just over 50 MiB.
      const input = 'Can I return shoes after 40 days? '.repeat(56);
      const row = (i: number) => `  - id: case-${String(i).padStart(5, '0')}\n    input: "${input}"\n`;
      const rows = Array.from({ length: 27_100 }, (_, i) => row(i)).join('');
      await writeFile(path.join(dir, 'eval/cases.yaml'), `cases:\n${rows}`);
    },
  },
  {
    name: 'an unreadable case file',
    files: {},
    message: 'eval/cases.yaml: cannot be read (EACCES); check that it is a readable file',
    prepare: (dir) => chmod(path.join(dir, 'eval/cases.yaml'), 0o000),
    skip: () =>
      process.getuid?.() === 0
        ? 'running as root (as in CI): chmod 000 does not stop root reading a file'
        : undefined,
  },
];
