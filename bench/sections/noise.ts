/**
 * Section 7: the verdict under noise (issue 13). Seeded runs of an unchanged model and of models with
 * cases truly worse, with judge noise alone and with agent noise too, judges with and without
 * logprobs: how often the gate fails an unchanged model, catches a true drop, takes a small one to the
 * allowlist path, and what the confirmation costs in model calls. Not timed: counted.
 */
import { GATE_DEFAULTS } from '../../src/config/schema/rubric.js';
import { progress } from '../measure.js';
import { noiseRun, type NoiseCondition, type NoiseOutcome } from '../noise-run.js';
import type { Plan } from '../plan.js';
import type { Section } from '../report.js';

/** The noise levels: the issue's own (judge 0.1 / 0.1 per sample, agent 0.15 / 0.15 per answer). */
const NOISES = [
  { name: 'judge noise', agent: 0, judge: 0.1, logprobs: false },
  { name: 'judge noise, logprobs', agent: 0, judge: 0.1, logprobs: true },
  { name: 'agent + judge noise', agent: 0.15, judge: 0.1, logprobs: false },
  { name: 'agent + judge noise, logprobs', agent: 0.15, judge: 0.1, logprobs: true },
] as const;

const SCENARIOS = [
  { name: 'unchanged', drops: [] as number[] },
  { name: '4 cases 10 points worse', drops: [10, 10, 10, 10] },
  { name: '4 cases 5 points worse', drops: [5, 5, 5, 5] },
  { name: '1 case 2 points worse', drops: [2] },
];

/** The shipped defaults the section measures: `repeats: 3` as `qualify init` writes it, 3 judge samples. */
const TRIALS = 3;
const JUDGE_SAMPLES = 3;

interface Tally {
  runs: number;
  failed: number;
  allCaught: number;
  caughtShare: number;
  small: number;
  falseFails: number;
  calls: number;
  confirmationCalls: number;
  noiseSd: number;
}

async function tally(condition: NoiseCondition, seeds: number, label: string): Promise<Tally> {
  const t: Tally = {
    runs: 0,
    failed: 0,
    allCaught: 0,
    caughtShare: 0,
    small: 0,
    falseFails: 0,
    calls: 0,
    confirmationCalls: 0,
    noiseSd: 0,
  };
  for (let seed = 1; seed <= seeds; seed++) {
    progress(`noise: ${label}, seed ${seed}/${seeds}`);
    const o: NoiseOutcome = await noiseRun(condition, seed);
    t.runs += 1;
    if (o.failed) t.failed += 1;
    if (o.caught.length > 0 && o.caught.every(Boolean)) t.allCaught += 1;
    t.caughtShare += o.caught.length > 0 ? o.caught.filter(Boolean).length / o.caught.length : 0;
    t.small += o.small.filter(Boolean).length / Math.max(1, o.small.length);
    t.falseFails += o.falseFails;
    t.calls += o.calls;
    t.confirmationCalls += o.confirmationCalls;
    t.noiseSd += o.noiseSd ?? 0;
  }
  return t;
}

const pct = (part: number, whole: number) => `${Math.round((100 * part) / whole)} %`;

/**
 * Run section 7.
 *
 * @example
 * const section = await noiseSection(FULL_PLAN)
 */
export async function noiseSection(plan: Plan): Promise<Section> {
  const { seeds, sizes, curve } = plan.noise;
  const rows: string[] = [
    '| noise | cases | scenario | runs failed | all drops caught | each drop caught | small drop on the allowlist path | false fails per run | calls / noise-free | confirmation calls / run | baseline noise sd |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const noise of NOISES) {
    // With logprobs the judge's replies carry every token's alternatives: slower to serve, so at the smaller size only.
    for (const cases of noise.logprobs ? sizes.slice(0, 1) : sizes) {
      const noiseFree = cases * TRIALS * 2; // an agent call and a judge call per trial, nothing screened
      for (const scenario of SCENARIOS) {
        const condition: NoiseCondition = {
          cases,
          ...noise,
          drops: scenario.drops,
          trials: TRIALS,
          judgeSamples: JUDGE_SAMPLES,
        };
        const t = await tally(condition, seeds, `${noise.name}, ${cases} cases, ${scenario.name}`);
        const drops = scenario.drops.length > 0;
        rows.push(
          `| ${noise.name} | ${cases} | ${scenario.name} | ${t.failed}/${t.runs} | ${drops ? pct(t.allCaught, t.runs) : '–'} | ${drops ? pct(t.caughtShare, t.runs) : '–'} | ${drops ? pct(t.small, t.runs) : '–'} | ${(t.falseFails / t.runs).toFixed(2)} | ${(t.calls / t.runs / noiseFree).toFixed(2)}x | ${(t.confirmationCalls / t.runs).toFixed(0)} | ${(t.noiseSd / t.runs).toFixed(2)} |`,
        );
        progress(`noise: ${rows.at(-1)}`);
      }
    }
  }
  const curveRows = [
    '| true drop (points) | each of 4 cases failed | confirmed within the budget (allowlist path) |',
    '| ---: | ---: | ---: |',
  ];
  const curveNoise = NOISES[0];
  for (const drop of curve) {
    const condition: NoiseCondition = {
      cases: sizes[0] ?? 40,
      ...curveNoise,
      drops: [drop, drop, drop, drop],
      trials: TRIALS,
      judgeSamples: JUDGE_SAMPLES,
    };
    const t = await tally(condition, seeds, `curve, ${drop} points`);
    curveRows.push(`| ${drop} | ${pct(t.caughtShare, t.runs)} | ${pct(t.small, t.runs)} |`);
    progress(`noise: ${curveRows.at(-1)}`);
  }
  return {
    title: '7. Noise: the verdict of an unchanged and of a worse model',
    setup:
      `${seeds} seeded runs per condition. Each run qualifies model A (the baseline, written by its own run) and then model B against it, ` +
      `in process: \`runCase\` per case through the real client and the \`openai\` SDK against the fake provider's eval world with seeded ` +
      `noise (test/fake-provider/README.md), and \`computeVerdict\`. Two criteria per case, qualities 7.0 to 9.2 on the judge's 0-10 scale ` +
      `(fractional: the judge dithers between the two integers), ${TRIALS} first-pass trials (\`repeats: 3\`), ${JUDGE_SAMPLES} judge samples, ` +
      `gate defaults (level ${GATE_DEFAULTS.level} with Holm, screening ${GATE_DEFAULTS.screening_level}, ${GATE_DEFAULTS.rounds} rounds then up to ${GATE_DEFAULTS.max_rounds}). ` +
      'Judge noise: each judge sample moves each criterion one notch (10 points) down with p = 0.1 and up with p = 0.1; agent noise: each answer ' +
      'moves one notch (every criterion) down with p = 0.15 and up with p = 0.15 (the levels of issue 13). "logprobs": the judge model takes ' +
      'logprobs (openai:gpt-4.1), the score token carries its neighbours (spread 0.2), so the G-Eval weighting sees the dither as a distribution.',
    figures: [],
    notes: [
      rows.join('\n'),
      `Detection curve (${curveNoise.name}, ${sizes[0] ?? 40} cases, ${seeds} runs per drop; 4 cases dropped by the same amount):`,
      curveRows.join('\n'),
    ],
  };
}
