import { describe, expect, test } from 'vitest';
import { ProviderBadRequestError, ProviderServerError } from '../../../src/providers/errors.js';
import { combine, confirmCase, type GateContext } from '../../../src/run/confirm.js';
import { armStats, holm } from '../../../src/scorecard/statistics.js';
import { mulberry32 } from '../../fake-provider/prng.js';

const GATE: GateContext = {
  level: 0.05,
  screening_level: 0.1,
  rounds: 3,
  max_rounds: 8,
  compared: 20,
  baselineModel: 'openai:model-a',
  prior: { sd: 3, df: 20 },
  trials: {},
  fresh: true,
};

/** Trial functions that answer from a list, counting the calls. */
function scripted(candidate: number[], baseline: number[]) {
  const calls = { candidate: 0, baseline: 0 };
  return {
    calls,
    candidateTrial: async (round: number) => {
      calls.candidate += 1;
      return candidate[round % candidate.length]!;
    },
    baselineTrial: async (round: number) => {
      calls.baseline += 1;
      return baseline[round % baseline.length]!;
    },
  };
}

const base = { points: 90, n: 3, sd: 3 };

describe('confirmCase', () => {
  test('no first-pass drop: not screened, no trial drawn', async () => {
    const s = scripted([0], [0]);
    const out = await confirmCase({
      first: [91, 90, 92],
      baseline: base,
      gate: GATE,
      candidateModel: 'openai:model-b',
      ...s,
    });
    expect(out).toMatchObject({ stage: 'not-screened', p: 1, candidate: null, baseline: null });
    expect(s.calls).toEqual({ candidate: 0, baseline: 0 });
  });

  test('a first-pass drop within its noise: screened out at the screening level, no trial drawn', async () => {
    const s = scripted([0], [0]);
    const out = await confirmCase({
      first: [89, 88, 90],
      baseline: base,
      gate: GATE,
      candidateModel: 'openai:model-b',
      ...s,
    });
    expect(out.stage).toBe('not-screened');
    expect(out.screen.drop).toBe(1);
    expect(out.screen.p).toBeGreaterThan(0.1);
    expect(s.calls).toEqual({ candidate: 0, baseline: 0 });
  });

  test('fresh trials that show no drop clear it at the early look: `rounds` trials of each model', async () => {
    const s = scripted([88, 90, 92], [86, 89, 90]);
    const out = await confirmCase({
      first: [84, 83, 85],
      baseline: base,
      gate: GATE,
      candidateModel: 'openai:model-b',
      ...s,
    });
    expect(out.stage).toBe('cleared');
    expect(out.p).toBe(1);
    expect(s.calls).toEqual({ candidate: 3, baseline: 3 });
    expect(out.baseline).toMatchObject({ source: 'model', model: 'openai:model-a', n: 3 });
  });

  test('a drop that persists runs every round and is tested, first pass and fresh trials combined', async () => {
    const s = scripted([79, 81, 80, 78], [90, 89, 91, 90]);
    const out = await confirmCase({
      first: [80, 79, 81],
      baseline: base,
      gate: GATE,
      candidateModel: 'openai:model-b',
      ...s,
    });
    expect(out.stage).toBe('tested');
    expect(s.calls).toEqual({ candidate: 8, baseline: 8 });
    expect(out.candidate).toMatchObject({ n: 8, mean: 79.5 });
    expect(out.drop).toBe(10.5);
    expect(out.p).toBeLessThan(0.05 / 20);
    expect(out.interval![0]).toBeGreaterThan(5);
  });

  test('no spread in either model: the early look settles it', async () => {
    const s = scripted([80], [90]);
    const gate = { ...GATE, prior: { sd: 0, df: 0 } };
    const out = await confirmCase({
      first: [80, 80, 80],
      baseline: { points: 90, n: 3, sd: 0 },
      gate,
      candidateModel: 'openai:model-b',
      ...s,
    });
    expect(out).toMatchObject({ stage: 'tested', p: 0, drop: 10 });
    expect(s.calls).toEqual({ candidate: 3, baseline: 3 });
  });

  test('replayed outputs draw no trial: the stored statistics decide, and with no noise estimate the drop counts', async () => {
    const s = scripted([0], [0]);
    const replay = { ...GATE, fresh: false };
    const withPrior = await confirmCase({
      first: [84, 83, 85],
      baseline: base,
      gate: replay,
      candidateModel: 'm',
      ...s,
    });
    expect(withPrior.stage).toBe('replay');
    expect(withPrior.p).toBeLessThan(0.05);
    const none = { ...replay, prior: { sd: 0, df: 0 } };
    const counted = await confirmCase({
      first: [84],
      baseline: { points: 90, n: 1, sd: 0 },
      gate: none,
      candidateModel: 'm',
      ...s,
    });
    expect(counted).toMatchObject({ stage: 'no-noise-estimate', p: 0, drop: 6 });
    expect(s.calls).toEqual({ candidate: 0, baseline: 0 });
  });

  test('a baseline model that answers 404 falls back on the stored trials and says so; an outage propagates', async () => {
    const gone = new ProviderBadRequestError('openai:model-a answered 404: no such model', {
      provider: 'openai',
      model: 'model-a',
      status: 404,
    });
    const out = await confirmCase({
      first: [80, 79, 81],
      baseline: base,
      gate: GATE,
      candidateModel: 'openai:model-b',
      candidateTrial: async () => 80,
      baselineTrial: () => Promise.reject(gone),
    });
    expect(out.baseline).toMatchObject({ source: 'stored', n: 3, mean: 90, sd: 3, scores: [] });
    expect(out.baseline?.note).toBe(
      "the baseline model could not be called (openai:model-a answered 404: no such model): compared with the baseline's stored trials, which this run cannot re-measure",
    );
    expect(out.stage).toBe('tested');
    const outage = new ProviderServerError('openai answered 503', {
      provider: 'openai',
      model: 'model-a',
      status: 503,
    });
    await expect(
      confirmCase({
        first: [80, 79, 81],
        baseline: base,
        gate: GATE,
        candidateModel: 'openai:model-b',
        candidateTrial: async () => 80,
        baselineTrial: () => Promise.reject(outage),
      }),
    ).rejects.toBe(outage);
  });

  test('combine: equal weights for equal information; uniform under no drop at the middle', () => {
    expect(combine(0.5, 0.5, 1, 1)).toBeCloseTo(0.5, 6);
    expect(combine(0.05, 0.05, 1, 1)).toBeCloseTo(0.01, 2);
  });
});

/** Seeded normal noise: Box-Muller over mulberry32. */
function gaussian(seed: number): () => number {
  const next = mulberry32(seed);
  return () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
}

/**
 * A run of `cases` cases whose trials have noise `sd` points: a baseline of 3 trials each, a candidate
 * whose first `drops.length` cases are truly worse, every case confirmed and Holm across them.
 */
async function simulatedRun(seed: number, cases: number, sd: number, drops: number[]): Promise<boolean[]> {
  const noise = gaussian(seed);
  const trial = (q: number) => q + sd * noise();
  const qualities = Array.from({ length: cases }, (_, i) => 70 + (i % 20));
  const stored = qualities.map((q) => armStats([trial(q), trial(q), trial(q)]));
  const df = stored.reduce((a, s) => a + s.n - 1, 0);
  const prior = { sd: Math.sqrt(stored.reduce((a, s) => a + (s.n - 1) * s.sd ** 2, 0) / df), df: 20 };
  const gate = { ...GATE, compared: cases, prior };
  const ps = await Promise.all(
    qualities.map(async (q, i) => {
      const worse = q - (drops[i] ?? 0);
      const out = await confirmCase({
        first: [trial(worse), trial(worse), trial(worse)],
        baseline: { points: stored[i]!.mean, n: 3, sd: stored[i]!.sd },
        gate,
        candidateModel: 'b',
        candidateTrial: async () => trial(worse),
        baselineTrial: async () => trial(q),
      });
      return out.p;
    }),
  );
  return holm(ps, gate.level).rejected;
}

describe('the gate under seeded noise', () => {
  // The family-wise level is 0.05: 10 of 200 runs is that rate (binomial sd 3 runs); the bound leaves one sd.
  test('an unchanged model: about 5 % of 200 runs reject any case (noise sd 3 points, 20 cases)', async () => {
    let failed = 0;
    for (let seed = 1; seed <= 200; seed++) {
      if ((await simulatedRun(seed, 20, 3, [])).some(Boolean)) failed += 1;
    }
    expect(failed).toBe(10);
    expect(failed).toBeLessThanOrEqual(13);
  });

  test('4 cases truly 10 points worse: every one caught in at least 95 % of 100 runs, others rarely', async () => {
    let all = 0;
    let others = 0;
    for (let seed = 1; seed <= 100; seed++) {
      const rejected = await simulatedRun(1000 + seed, 20, 3, [10, 10, 10, 10]);
      if (rejected.slice(0, 4).every(Boolean)) all += 1;
      others += rejected.slice(4).filter(Boolean).length;
    }
    expect(all).toBeGreaterThanOrEqual(95);
    expect(others).toBe(2);
  });
});
