/** Bad case files: each refused before anything runs, naming file:line:col. */
import { CASES, rubricWith, type BadInput } from './types.js';

const one = (body: string) => `cases:\n  - id: refund-window\n${body}`;
const CRITERIA = '    criteria: [{ id: correct, text: "Correct" }]\n';

export const CASE_INPUTS: BadInput[] = [
  {
    name: 'case file: YAML syntax error (unterminated quote)',
    files: { 'eval/cases.yaml': one('    input: "Can I return shoes?\n') },
    message: 'eval/cases.yaml:4:1: YAML syntax error: Missing closing "quote',
  },
  {
    name: 'case file: empty file',
    files: { 'eval/cases.yaml': '' },
    message: 'eval/cases.yaml:1:1: the case file has no cases; add at least one under `cases:`',
  },
  {
    name: 'case file: an empty cases list',
    files: { 'eval/cases.yaml': 'cases: []\n' },
    message: 'eval/cases.yaml:1:8: the case file has no cases; add at least one under `cases:`',
  },
  {
    name: 'case file: a list without cases:',
    files: { 'eval/cases.yaml': '- id: refund-window\n  input: "Hi"\n' },
    message: 'eval/cases.yaml:1:1: the file must be a map; found a list',
  },
  {
    name: 'case file: case: instead of cases:',
    files: { 'eval/cases.yaml': CASES.replace('cases:', 'case:') },
    message: [
      'eval/cases.yaml:1:1: case is not a known key; did you mean cases?',
      'eval/cases.yaml:1:1: the case file has no cases; add at least one under `cases:`',
    ],
  },
  {
    name: 'case file: duplicate ids in one file',
    files: { 'eval/cases.yaml': CASES.replace('id: shipping-time', 'id: refund-window') },
    message:
      'eval/cases.yaml:5:9: cases[1].id refund-window is already used at eval/cases.yaml:2:5; case ids must be unique across all case files',
  },
  {
    name: 'case files: duplicate ids across files',
    files: {
      'rubric.yaml': rubricWith('cases', 'cases: [eval/cases.yaml, eval/more.yaml]'),
      'eval/more.yaml': one('    input: "Again?"\n'),
    },
    message:
      'eval/more.yaml:2:9: cases[0].id refund-window is already used at eval/cases.yaml:2:5; case ids must be unique across all case files',
  },
  {
    name: 'case file: a case without an id',
    files: { 'eval/cases.yaml': 'cases:\n  - input: "Hi"\n' },
    message: 'eval/cases.yaml:2:5: cases[0].id is required; expected a string',
  },
  {
    name: 'case file: an id with a space',
    files: { 'eval/cases.yaml': CASES.replace('id: shipping-time', 'id: "shipping time"') },
    message:
      'eval/cases.yaml:5:9: cases[1].id must start with a letter or digit and use only letters, digits and . _ : / -; found "shipping time"',
  },
  {
    name: 'case file: both input and messages',
    files: { 'eval/cases.yaml': one('    input: "Hi"\n    messages: [{ role: user, content: "Hi" }]\n') },
    message: 'eval/cases.yaml:2:5: cases[0] needs exactly one of input or messages; found both',
  },
  {
    name: 'case file: neither input nor messages',
    files: { 'eval/cases.yaml': one(CRITERIA) },
    message: 'eval/cases.yaml:2:5: cases[0] needs exactly one of input or messages; found neither',
  },
  {
    name: 'case file: tags a string, not a list',
    files: { 'eval/cases.yaml': one('    input: "Hi"\n    tags: billing\n') },
    message: 'eval/cases.yaml:4:11: cases[0].tags must be a list; found "billing"',
  },
  {
    name: 'case file: a misspelled case key',
    files: { 'eval/cases.yaml': one('    inputs: "Hi"\n') },
    message: [
      'eval/cases.yaml:3:5: cases[0].inputs is not a known key; did you mean input?',
      'eval/cases.yaml:2:5: cases[0] needs exactly one of input or messages; found neither',
    ],
  },
  {
    name: 'case file: an unknown check',
    files: { 'eval/cases.yaml': one('    input: "Hi"\n    checks: [{ contain: "30 days" }]\n') },
    message: 'eval/cases.yaml:4:16: cases[0].checks[0].contain is not a known check; did you mean contains?',
  },
  {
    name: 'case file: a regex check that does not compile',
    files: { 'eval/cases.yaml': one('    input: "Hi"\n    checks: [{ regex: "([" }]\n') },
    message:
      'eval/cases.yaml:4:23: cases[0].checks[0].regex does not compile: Invalid regular expression: /([/: Unterminated character class',
  },
  {
    name: 'case file: min_score out of range',
    files: { 'eval/cases.yaml': one('    input: "Hi"\n    min_score: 2\n') },
    message: 'eval/cases.yaml:4:16: cases[0].min_score must be at most 1; found 2',
  },
  {
    name: 'case file: a subject that does not exist',
    files: {
      'rubric.yaml': rubricWith('subjects', 'subjects: { drafter: { cases: eval/cases.yaml } }'),
      'eval/cases.yaml': CASES.replace('id: shipping-time', 'id: shipping-time\n    subject: drafterr'),
    },
    message: 'eval/cases.yaml:6:14: cases[1].subject names no subject: drafterr; did you mean drafter?',
  },
  {
    name: 'case file: a javascript check module that does not exist',
    files: { 'eval/cases.yaml': one('    input: "Hi"\n    checks: [{ javascript: checks/missing.js }]\n') },
    message:
      'eval/cases.yaml:4:28: cases[0].checks[0].javascript names checks/missing.js, which does not exist; paths are relative to the repository root',
  },
];
