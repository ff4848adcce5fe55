// INFO's lazyfreed_objects: what Redis 7.0 would have handed to its lazy-free thread.
//
// Redis frees a deleted value in the background (UNLINK, FLUSHALL ASYNC, and DEL, expiry,
// eviction and overwrites under the lazyfree-lazy-* directives) only when freeing it costs more
// than LAZYFREE_THRESHOLD allocations (lazyfreeGetFreeEffort in src/lazyfree.c); smaller values are
// freed on the spot. echokv never frees anything itself (the garbage collector does, off the
// command path), but the counter tells tools which deletions would not have blocked Redis, so it
// follows Redis's rule: one per value freed lazily, and for an asynchronous flush, its key count.
// Nothing is ever pending, so lazyfree_pending_objects stays 0.

import { isString, type Value } from './keyspace.ts';
import type { Server } from './server.ts';
import type { HashValue } from './types/hash.ts';
import type { PackedList } from './types/packed_list.ts';
import type { SetValue } from './types/set.ts';
import type { Stream } from './types/stream.ts';
import type { ZSet } from './types/zset.ts';

/** Redis's LAZYFREE_THRESHOLD. */
const LAZYFREE_THRESHOLD = 64;

/**
 * lazyfreeGetFreeEffort: about how many allocations freeing `v` takes in Redis. `fill` is
 * list-max-listpack-size.
 */
export function freeEffort(v: Value, fill: number): number {
  if (isString(v)) return 1;
  switch (v.type) {
    case 'list': {
      // Redis counts a list's quicklist nodes. Ours are chunks of the size nodes have at a
      // negative fill (8 KB at -2, the default); a positive fill caps a node's element count.
      // Where the nodes fall depends on the list's history in both servers, so this is the count
      // Redis would have for the same elements pushed at the tail, within a node or so.
      const l = v as unknown as PackedList;
      return fill > 0 ? Math.max(l.chunks, Math.ceil(l.length / fill)) : l.chunks;
    }
    case 'set': {
      const s = v as SetValue;
      return s.encoding === 'hashtable' ? s.size : 1;
    }
    case 'hash': {
      const h = v as HashValue;
      return h.encoding === 'hashtable' ? h.size : 1;
    }
    case 'zset': {
      const z = v as ZSet;
      return z.encoding === 'skiplist' ? z.size : 1;
    }
    case 'stream': {
      // Every radix tree node is an allocation, and so is each group and its pending entries,
      // estimated from the first group's (in the groups' tree order).
      const s = v as Stream;
      const groups = s.sortedGroups();
      return s.raxNodes + (groups.length === 0 ? 0 : groups.length * (1 + groups[0].pel.size));
    }
  }
}

/** Counts `v`, deleted by a lazy path, if Redis would have freed it in the background. */
export function lazyFreed(server: Server, v: Value): void {
  if (freeEffort(v, server.config.num('list-max-listpack-size')) > LAZYFREE_THRESHOLD) {
    server.keyspace.stats.lazyfreedObjects++;
  }
}
