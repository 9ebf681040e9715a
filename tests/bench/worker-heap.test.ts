/** The heap snapshot summary the bench's heap target relies on: V8's compiled code told apart. */
import { describe, expect, it } from 'vitest';
import { codeBytesOf } from '../../scripts/bench/worker-heap.ts';

describe('codeBytesOf', () => {
  it('sums the self size of "code" nodes only, whatever the field order', () => {
    const snapshot = {
      snapshot: {
        meta: {
          node_fields: ['type', 'name', 'id', 'self_size', 'edge_count'],
          node_types: [['hidden', 'array', 'object', 'code', 'native']] as [string[]],
        },
      },
      // type, name, id, self_size, edge_count
      nodes: [3, 0, 1, 100, 0, 2, 0, 2, 40, 0, 3, 0, 3, 28, 1, 4, 0, 4, 5000, 0],
    };
    expect(codeBytesOf(snapshot)).toBe(128);
    const reordered = {
      snapshot: {
        meta: { node_fields: ['self_size', 'type'], node_types: [['code', 'object']] as [string[]] },
      },
      nodes: [7, 0, 9, 1, 11, 0],
    };
    expect(codeBytesOf(reordered)).toBe(18);
  });
});
