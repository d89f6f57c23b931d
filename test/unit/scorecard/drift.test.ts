import { describe, expect, test } from 'vitest';
import { driftCheck } from '../../../src/scorecard/drift.js';

describe('driftCheck: |mean shift| > max(2 points, 4 x se)', () => {
  test('every stored output scored 10 points lower, no judge noise recorded: drifted', () => {
    expect(
      driftCheck([{ stored: [0.9, 0.9, 0.9], rejudged: [0.8, 0.8, 0.8], se: [] }], 'openai:judge-1'),
    ).toEqual({
      checked: 3,
      mean_shift: -10,
      se: 0,
      drifted: true,
      message:
        "the judge openai:judge-1 scores the baseline's stored outputs 10.0 points lower than when the baseline was made (3 stored baseline outputs judged again; more than the 2.0-point limit of its noise): a pinned alias can change behind its name: pin a dated snapshot, or re-make the baseline",
    });
  });

  test('one integer flip of three is within the spread of the shifts: not drifted', () => {
    const check = driftCheck(
      [
        { stored: [0.9, 0.9], rejudged: [0.8, 0.9], se: [] },
        { stored: [0.9], rejudged: [0.9], se: [] },
      ],
      'openai:judge-1',
    );
    expect(check).toEqual({
      checked: 3,
      mean_shift: -3.333333,
      se: 3.333333,
      drifted: false,
      message:
        'the judge openai:judge-1 scores 3 stored baseline outputs -3.3 points from when the baseline was made, within the 13.3-point limit of its noise: no drift',
    });
  });

  test("the judge's own standard errors (both judgings) set the limit for one output", () => {
    const se = [{ stored: 0.01, rejudged: 0.01 }];
    const within = driftCheck([{ stored: [0.9], rejudged: [0.85], se }], 'j:1');
    expect([within?.mean_shift, within?.se, within?.drifted]).toEqual([-5, 1.414214, false]);
    const beyond = driftCheck([{ stored: [0.9], rejudged: [0.83], se }], 'j:1');
    expect([beyond?.mean_shift, beyond?.se, beyond?.drifted]).toEqual([-7, 1.414214, true]);
  });

  test('with no noise at all the 2-point floor applies, either way', () => {
    expect(driftCheck([{ stored: [0.5], rejudged: [0.515], se: [] }], 'j:1')?.drifted).toBe(false);
    const higher = driftCheck([{ stored: [0.5], rejudged: [0.53], se: [] }], 'j:1');
    expect([higher?.mean_shift, higher?.drifted]).toEqual([3, true]);
    expect(higher?.message).toContain("scores the baseline's stored outputs 3.0 points higher");
  });

  test('nothing judged again: no check', () => {
    expect(driftCheck([], 'j:1')).toBeUndefined();
    expect(driftCheck([{ stored: [], rejudged: [], se: [] }], 'j:1')).toBeUndefined();
  });
});
