// The none persistence plugin: the dataset lives in memory only. SAVE points, the AOF and the
// dump file are ignored; shutdown saves nothing.
import { definePlugin } from '../../../core/plugin.ts';

export const none = definePlugin({
  name: 'none',
  kind: 'persistence',
  setup() {
    return {};
  },
});
