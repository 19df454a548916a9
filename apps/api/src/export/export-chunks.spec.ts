import { describe, expect, it } from '@jest/globals';
import { advanceCheckpoint, callsPerChunk, chunksLeft, GUESSED_CALLS_PER_PERSON, nextChunkDecision, peopleDone } from './export-chunks.js';

describe('export chunks', () => {
  describe('chunksLeft', () => {
    it('lists every chunk from the checkpoint, the last one short', () => {
      expect(chunksLeft(1_200, 0, 500, [])).toEqual([0, 500, 1_000]);
      expect(chunksLeft(1_000, 0, 500, [])).toEqual([0, 500]);
      expect(chunksLeft(1_200, 500, 500, [])).toEqual([500, 1_000]);
    });

    it('skips the chunks finished past the checkpoint', () => {
      expect(chunksLeft(3_000, 500, 500, [1_500, 2_500])).toEqual([500, 1_000, 2_000]);
    });

    it('has nothing left at the end, or for nobody', () => {
      expect(chunksLeft(1_200, 1_200, 500, [])).toEqual([]);
      expect(chunksLeft(0, 0, 500, [])).toEqual([]);
    });
  });

  describe('advanceCheckpoint', () => {
    it('moves over the finished chunk when it is the next one', () => {
      expect(advanceCheckpoint(0, [], 0, 500, 1_200)).toEqual({ checkpoint: 500, done: [] });
    });

    it('keeps a chunk finished past the checkpoint, in order', () => {
      expect(advanceCheckpoint(0, [1_500], 1_000, 500, 3_000)).toEqual({ checkpoint: 0, done: [1_000, 1_500] });
    });

    it('moves over every contiguous done chunk once the gap closes, and keeps those after the next gap', () => {
      expect(advanceCheckpoint(0, [500, 1_000, 2_000], 0, 500, 3_000)).toEqual({ checkpoint: 1_500, done: [2_000] });
    });

    it('ends at the total with a short last chunk', () => {
      expect(advanceCheckpoint(500, [1_000], 500, 500, 1_200)).toEqual({ checkpoint: 1_200, done: [] });
    });

    it('does not count a chunk twice when it is reported again', () => {
      expect(advanceCheckpoint(0, [1_000], 1_000, 500, 3_000)).toEqual({ checkpoint: 0, done: [1_000] });
    });

    it('reaches the end whatever order the chunks finish in', () => {
      const total = 4_321;
      const starts = chunksLeft(total, 0, 500, []);
      for (const order of [starts, [...starts].reverse(), [500, 2_500, 0, 4_000, 1_000, 3_500, 1_500, 3_000, 2_000]]) {
        let state = { checkpoint: 0, done: [] as number[] };
        for (const at of order) {
          state = advanceCheckpoint(state.checkpoint, state.done, at, 500, total);
          // Nobody is done twice or missed: the checkpoint and the chunks past it are what finished so far.
          expect(peopleDone(total, state.checkpoint, state.done, 500)).toBe(order.slice(0, order.indexOf(at) + 1).reduce((n, c) => n + Math.min(500, total - c), 0));
        }
        expect(state).toEqual({ checkpoint: total, done: [] });
      }
    });
  });

  describe('peopleDone', () => {
    it('counts the checkpoint and the chunks past it, the last one short', () => {
      expect(peopleDone(1_200, 500, [1_000], 500)).toBe(700);
      expect(peopleDone(3_000, 0, [1_000, 2_500], 500)).toBe(1_000);
      expect(peopleDone(3_000, 3_000, [], 500)).toBe(3_000);
    });

    it('ignores offsets the checkpoint has passed or outside the run', () => {
      expect(peopleDone(1_000, 500, [0, 5_000], 500)).toBe(500);
    });
  });

  describe('callsPerChunk', () => {
    it('uses what this job measured once a chunk finished', () => {
      expect(callsPerChunk(500, { calls: 36, chunks: 3 }, 0.5)).toBe(12);
    });

    it('uses the forecast before, else the guess', () => {
      expect(callsPerChunk(500, { calls: 7, chunks: 0 }, 0.02)).toBe(10);
      expect(callsPerChunk(500, { calls: 0, chunks: 0 }, null)).toBe(500 * GUESSED_CALLS_PER_PERSON);
    });
  });

  describe('nextChunkDecision', () => {
    it('always starts a chunk when none is in flight, even with no calls left (the budget pauses the run)', () => {
      expect(nextChunkDecision(0, 5, 0, 10)).toBe('start');
      expect(nextChunkDecision(0, 5, 'unknown', 10)).toBe('start');
    });

    it('waits for a chunk at the most in flight', () => {
      expect(nextChunkDecision(5, 5, Number.POSITIVE_INFINITY, 10)).toBe('wait_for_chunk');
    });

    it('starts beside others when the day pays for them all', () => {
      expect(nextChunkDecision(1, 5, Number.POSITIVE_INFINITY, 10)).toBe('start');
      expect(nextChunkDecision(2, 5, 30, 10)).toBe('start');
    });

    it('waits when the day does not pay for one more beside those in flight', () => {
      expect(nextChunkDecision(2, 5, 29, 10)).toBe('wait_for_chunk');
      expect(nextChunkDecision(1, 5, 0, 10)).toBe('wait_for_chunk');
    });

    it('looks again shortly while the day is unknown', () => {
      expect(nextChunkDecision(1, 5, 'unknown', 10)).toBe('wait_for_reading');
    });
  });
});
