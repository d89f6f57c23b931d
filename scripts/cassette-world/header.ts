import { CASSETTE_FORMAT, type CassetteHeader } from '../../src/providers/cache/cassette.js';

/**
 * The header every cassette written from the world gets: hand-written, and why.
 * The scorecard of a run that replays them says so too.
 *
 * @example
 * JSON.stringify(HAND_WRITTEN) // '{"cassette":"vitest-qualify/cassette@1","source":"hand-written",...}'
 */
export const HAND_WRITTEN: CassetteHeader = {
  cassette: CASSETTE_FORMAT,
  source: 'hand-written',
  note:
    'Written by hand from scripts/cassette-world (npx tsx scripts/write-cassettes.ts) because no LLM provider ' +
    'is reachable where this repository is built. Re-record real answers with QUALIFY_CACHE=record and API keys set.',
};
